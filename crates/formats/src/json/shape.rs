//! The first pass over a JSON document: its shape held to [`crate::limits`] without building
//! anything, and the top-level `schema` picked up.
//!
//! A serde visitor walks every value as serde_json reads it: strings are looked at where they
//! lie (or in serde_json's scratch buffer when they hold escapes), numbers and booleans are
//! counted, arrays and objects are entered one element at a time. The first value over a
//! limit is refused with its path (`$.tables.projects.rows[10000]`); serde_json adds the
//! line and column.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::limits::{MAX_JSON_DEPTH, MAX_JSON_ITEMS, MAX_JSON_STRING_BYTES, MAX_JSON_VALUES};

/// Walks `text`; the top-level `schema` when it is a string.
pub(super) fn check(text: &str) -> Result<Option<String>, serde_json::Error> {
    let walk = Walked::default();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    Walk {
        walked: &walk,
        depth: 0,
        schema: false,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(walk.schema.into_inner())
}

/// One step of a JSON path.
enum Step {
    Key(String),
    Index(usize),
}

/// What the walk has seen so far.
#[derive(Default)]
struct Walked {
    path: RefCell<Vec<Step>>,
    values: RefCell<usize>,
    schema: RefCell<Option<String>>,
}

impl Walked {
    /// The path to where the walk is, `$.a.b[3]`.
    fn path(&self) -> String {
        let mut out = String::from("$");
        for step in self.path.borrow().iter() {
            match step {
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(&budgetflow_model::lang::excerpt(k));
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    fn refuse<E: de::Error>(&self, what: fmt::Arguments<'_>) -> E {
        E::custom(format!("{}: {what}", self.path()))
    }

    /// Counts one more value.
    fn value<E: de::Error>(&self) -> Result<(), E> {
        let mut values = self.values.borrow_mut();
        *values += 1;
        if *values > MAX_JSON_VALUES {
            return Err(self.refuse(format_args!(
                "more than {MAX_JSON_VALUES} values in the document"
            )));
        }
        Ok(())
    }
}

/// The walk at one value.
#[derive(Clone, Copy)]
struct Walk<'w> {
    walked: &'w Walked,
    depth: usize,
    /// Whether this value is the top-level `schema`.
    schema: bool,
}

impl Walk<'_> {
    fn inner(self) -> Self {
        Walk {
            depth: self.depth + 1,
            schema: false,
            ..self
        }
    }

    fn enter<E: de::Error>(&self) -> Result<(), E> {
        self.walked.value()?;
        if self.depth >= MAX_JSON_DEPTH {
            return Err(self.walked.refuse(format_args!(
                "nested more than {MAX_JSON_DEPTH} arrays or objects deep"
            )));
        }
        Ok(())
    }

    fn item<E: de::Error>(&self, n: usize) -> Result<(), E> {
        if n >= MAX_JSON_ITEMS {
            return Err(self.walked.refuse(format_args!(
                "more than {MAX_JSON_ITEMS} elements or members"
            )));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.walked.value()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.walked.value()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.walked.value()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.walked.value()
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.walked.value()
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.walked.value()?;
        if v.len() > MAX_JSON_STRING_BYTES {
            return Err(self.walked.refuse(format_args!(
                "a string of {} bytes, more than {MAX_JSON_STRING_BYTES}",
                v.len()
            )));
        }
        if self.schema {
            *self.walked.schema.borrow_mut() = Some(v.to_string());
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.enter()?;
        for n in 0.. {
            self.walked.path.borrow_mut().push(Step::Index(n));
            self.item(n)?;
            let more = seq.next_element_seed(self.inner())?;
            self.walked.path.borrow_mut().pop();
            if more.is_none() {
                break;
            }
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.enter()?;
        for n in 0.. {
            self.item(n)?;
            let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? else {
                break;
            };
            if key.len() > MAX_JSON_STRING_BYTES {
                return Err(self.walked.refuse(format_args!(
                    "a key of {} bytes, more than {MAX_JSON_STRING_BYTES}",
                    key.len()
                )));
            }
            let schema = self.depth == 0 && key == "schema";
            self.walked
                .path
                .borrow_mut()
                .push(Step::Key(key.into_owned()));
            map.next_value_seed(Walk {
                schema,
                ..self.inner()
            })?;
            self.walked.path.borrow_mut().pop();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> String {
        check(text).unwrap_err().to_string()
    }

    #[test]
    fn the_schema_is_picked_up_at_the_top_only() {
        assert_eq!(
            check(r#"{"a":{"schema":"x"},"schema":"budgetflow.document/1"}"#).unwrap(),
            Some("budgetflow.document/1".into())
        );
        assert_eq!(check(r#"{"a":{"schema":"x"}}"#).unwrap(), None);
        assert_eq!(check(r#"{"schema":1}"#).unwrap(), None);
    }

    #[test]
    fn each_limit_is_refused_with_the_path_and_position() {
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        let e = refused(&deep);
        assert!(e.starts_with(&format!("${}", "[0]".repeat(31))), "{e}");
        assert!(
            e.contains("nested more than 32") && e.contains("line 1"),
            "{e}"
        );

        let wide = format!("{{\"rows\": [{}0]}}", "0,".repeat(MAX_JSON_ITEMS));
        let e = refused(&wide);
        assert!(
            e.starts_with("$.rows[10000]: more than 10000 elements"),
            "{e}"
        );

        let long = format!(
            "{{\"a\": [1, {{\"b\": \"{}\"}}]}}",
            "x".repeat(MAX_JSON_STRING_BYTES + 1)
        );
        let e = refused(&long);
        assert!(e.starts_with("$.a[1].b: a string of 131073 bytes"), "{e}");

        let nine_thousand = format!("[{}0]", "0,".repeat(8_999));
        let many = format!("[{}]", vec![nine_thousand.as_str(); 25].join(","));
        let e = refused(&many);
        assert!(e.contains("more than 200000 values"), "{e}");
    }
}
