//! A content-stream lexer: operands and operators, one operation at a time, without building
//! a document object per token.
//!
//! Our own because the content streams are nearly all of a disclosure's bytes (~400 kB per
//! file, ~45,000 operators): `lopdf`'s general object parser took 9–11 ms per file for them
//! alone, this lexer takes under a millisecond (docs/performance.md). It is bounded: at most
//! [`MAX_OPERANDS`] operands per operator, [`MAX_ARRAY`] elements and [`MAX_NESTING`] levels
//! per array, anything past those is a malformed stream.

use std::borrow::Cow;

/// No operator takes more than a few dozen operands (`scn` with a large colour space).
const MAX_OPERANDS: usize = 64;
/// A `TJ` array holds a line's strings and kerning numbers: hundreds, not millions.
const MAX_ARRAY: usize = 65_536;
const MAX_NESTING: usize = 32;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand<'a> {
    Number(f32),
    Name(Cow<'a, [u8]>),
    String(Cow<'a, [u8]>),
    Array(Vec<Operand<'a>>),
    /// Booleans, null, dictionaries (marked-content properties): read past, never used.
    Other,
}

impl Operand<'_> {
    pub fn number(&self) -> Option<f32> {
        match self {
            Operand::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn name(&self) -> Option<&[u8]> {
        match self {
            Operand::Name(n) => Some(n),
            _ => None,
        }
    }

    pub fn string(&self) -> Option<&[u8]> {
        match self {
            Operand::String(s) => Some(s),
            _ => None,
        }
    }
}

/// The stream does not follow the content-stream syntax within the bounds above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Malformed;

pub(crate) struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(bytes: &'a [u8]) -> Lexer<'a> {
        Lexer { bytes, pos: 0 }
    }

    /// The next operator, its operands left in `operands` (cleared first); `None` at the end.
    pub fn next_operation(
        &mut self,
        operands: &mut Vec<Operand<'a>>,
    ) -> Result<Option<&'a [u8]>, Malformed> {
        operands.clear();
        loop {
            self.skip_space();
            let Some(&b) = self.bytes.get(self.pos) else {
                return Ok(None);
            };
            if is_regular(b) && !starts_number(b) {
                let word = self.regular_run();
                match word {
                    b"true" | b"false" | b"null" => push(operands, Operand::Other)?,
                    b"ID" => {
                        self.skip_inline_image();
                        operands.clear();
                    }
                    _ => return Ok(Some(word)),
                }
            } else {
                let operand = self.operand(0)?;
                push(operands, operand)?;
            }
        }
    }

    fn operand(&mut self, depth: usize) -> Result<Operand<'a>, Malformed> {
        let b = self.bytes[self.pos];
        match b {
            b'/' => {
                self.pos += 1;
                Ok(Operand::Name(unescape_name(self.regular_run())))
            }
            b'(' => self.literal_string().map(Operand::String),
            b'<' if self.bytes.get(self.pos + 1) == Some(&b'<') => {
                self.skip_dictionary()?;
                Ok(Operand::Other)
            }
            b'<' => Ok(Operand::String(Cow::Owned(self.hex_string()))),
            b'[' => {
                if depth >= MAX_NESTING {
                    return Err(Malformed);
                }
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    match self.bytes.get(self.pos) {
                        None => return Err(Malformed),
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(Operand::Array(items));
                        }
                        Some(&c) if is_regular(c) && !starts_number(c) => {
                            self.regular_run();
                            items.push(Operand::Other);
                        }
                        Some(_) => items.push(self.operand(depth + 1)?),
                    }
                    if items.len() > MAX_ARRAY {
                        return Err(Malformed);
                    }
                }
            }
            _ if starts_number(b) => {
                let run = self.regular_run();
                Ok(parse_number(run).map_or(Operand::Other, Operand::Number))
            }
            // A stray delimiter (`)`, `>`, `]`, `{`, `}`): skipped, as viewers do.
            _ => {
                self.pos += 1;
                Ok(Operand::Other)
            }
        }
    }

    fn skip_space(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if is_space(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(&c) = self.bytes.get(self.pos) {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn regular_run(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(|&b| is_regular(b)) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    fn literal_string(&mut self) -> Result<Cow<'a, [u8]>, Malformed> {
        self.pos += 1;
        let start = self.pos;
        let mut depth = 1usize;
        let mut escaped = false;
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'\\' => {
                    escaped = true;
                    self.pos += 1;
                }
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        let raw = &self.bytes[start..self.pos];
                        self.pos += 1;
                        return Ok(if escaped {
                            Cow::Owned(unescape_literal(raw))
                        } else {
                            Cow::Borrowed(raw)
                        });
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        Err(Malformed)
    }

    fn hex_string(&mut self) -> Vec<u8> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        while let Some(&b) = self.bytes.get(self.pos) {
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if let Some(value) = hex_value(b) {
                match high.take() {
                    Some(h) => out.push(h << 4 | value),
                    None => high = Some(value),
                }
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        out
    }

    /// Skips a `<< … >>` dictionary (marked-content properties), strings inside included.
    fn skip_dictionary(&mut self) -> Result<(), Malformed> {
        let mut depth = 0usize;
        while self.pos < self.bytes.len() {
            match (self.bytes[self.pos], self.bytes.get(self.pos + 1)) {
                (b'<', Some(b'<')) => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(Malformed);
                    }
                    self.pos += 2;
                }
                (b'>', Some(b'>')) => {
                    depth -= 1;
                    self.pos += 2;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                (b'(', _) => {
                    self.literal_string()?;
                }
                _ => self.pos += 1,
            }
        }
        Err(Malformed)
    }

    /// Inline image data runs from after `ID` to an `EI` standing alone; it is binary and may
    /// contain anything, so it is skipped by that marker, not lexed.
    fn skip_inline_image(&mut self) {
        self.pos += 1;
        while self.pos + 2 <= self.bytes.len() {
            if &self.bytes[self.pos..self.pos + 2] == b"EI"
                && is_space(self.bytes[self.pos - 1])
                && self.bytes.get(self.pos + 2).is_none_or(|&b| is_space(b))
            {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
        self.pos = self.bytes.len();
    }
}

fn push<'a>(operands: &mut Vec<Operand<'a>>, operand: Operand<'a>) -> Result<(), Malformed> {
    if operands.len() >= MAX_OPERANDS {
        return Err(Malformed);
    }
    operands.push(operand);
    Ok(())
}

/// Byte classes by table: the lexer asks for every byte of ~400 kB per file.
const SPACE: u8 = 1;
const DELIMITER: u8 = 2;
const CLASSES: [u8; 256] = {
    let mut classes = [0u8; 256];
    let spaces = b" \n\r\t\x0c\0";
    let mut i = 0;
    while i < spaces.len() {
        classes[spaces[i] as usize] = SPACE;
        i += 1;
    }
    let delimiters = b"()<>[]{}/%";
    let mut i = 0;
    while i < delimiters.len() {
        classes[delimiters[i] as usize] = DELIMITER;
        i += 1;
    }
    classes
};

fn is_space(b: u8) -> bool {
    CLASSES[usize::from(b)] == SPACE
}

fn is_regular(b: u8) -> bool {
    CLASSES[usize::from(b)] == 0
}

fn starts_number(b: u8) -> bool {
    b.is_ascii_digit() || b == b'-' || b == b'+' || b == b'.'
}

fn parse_number(run: &[u8]) -> Option<f32> {
    let (negative, digits) = match run.first()? {
        b'-' => (true, &run[1..]),
        b'+' => (false, &run[1..]),
        _ => (false, run),
    };
    let mut value = 0f64;
    let mut scale = 0f64;
    let mut any = false;
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                any = true;
                if scale == 0.0 {
                    value = value * 10.0 + f64::from(b - b'0');
                } else {
                    value += f64::from(b - b'0') * scale;
                    scale /= 10.0;
                }
            }
            b'.' if scale == 0.0 => scale = 0.1,
            _ => return None,
        }
    }
    let value = if negative { -value } else { value } as f32;
    (any && value.is_finite()).then_some(value)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn unescape_name(raw: &[u8]) -> Cow<'_, [u8]> {
    if !raw.contains(&b'#') {
        return Cow::Borrowed(raw);
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#' {
            let digit = |k: usize| raw.get(i + k).and_then(|&b| hex_value(b));
            if let (Some(h), Some(l)) = (digit(1), digit(2)) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(raw[i]);
        i += 1;
    }
    Cow::Owned(out)
}

fn unescape_literal(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        i += 1;
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let Some(&e) = raw.get(i) else { break };
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b'0'..=b'7' => {
                let mut value = u32::from(e - b'0');
                for _ in 0..2 {
                    match raw.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(value as u8);
            }
            // A backslash before a line end continues the string on the next line.
            b'\r' => {
                if raw.get(i) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operations(stream: &[u8]) -> Vec<(String, Vec<Operand<'_>>)> {
        let mut lexer = Lexer::new(stream);
        let mut operands = Vec::new();
        let mut out = Vec::new();
        while let Some(op) = lexer.next_operation(&mut operands).unwrap() {
            out.push((String::from_utf8_lossy(op).into_owned(), operands.clone()));
        }
        out
    }

    #[test]
    fn a_wps_text_run_lexes_into_its_operators() {
        // As WPS writes them: `\r` between operations, no space before a name or a string.
        let ops = operations(b"q\r1 0 0 -1 0 595.25 cm\r/FT16 400 Tf 0.05 0 0 -0.05 356.15 71.95 Tm<2D1E>Tj 283 -0 TD[(a\\)b\\101) -250 <0003>]TJ");
        let names: Vec<&str> = ops.iter().map(|(op, _)| op.as_str()).collect();
        assert_eq!(names, ["q", "cm", "Tf", "Tm", "Tj", "TD", "TJ"]);
        assert_eq!(ops[1].1[5], Operand::Number(595.25));
        assert_eq!(ops[2].1[0], Operand::Name(Cow::Borrowed(b"FT16")));
        assert_eq!(ops[4].1[0], Operand::String(Cow::Owned(vec![0x2D, 0x1E])));
        assert_eq!(ops[5].1[1], Operand::Number(-0.0));
        let Operand::Array(items) = &ops[6].1[0] else {
            panic!("TJ takes an array")
        };
        assert_eq!(items[0], Operand::String(Cow::Owned(b"a)bA".to_vec())));
        assert_eq!(items[1], Operand::Number(-250.0));
    }

    #[test]
    fn marked_content_dictionaries_and_inline_images_are_read_past() {
        let ops = operations(b"/P <</MCID 0 /Alt (x>>y)>> BDC BI /W 1 /H 1 ID \x00EI\xff EI Q EMC");
        let names: Vec<&str> = ops.iter().map(|(op, _)| op.as_str()).collect();
        assert_eq!(names, ["BDC", "BI", "Q", "EMC"]);
    }

    #[test]
    fn runaway_operands_and_nesting_are_malformed() {
        let many = "1 ".repeat(MAX_OPERANDS + 1);
        let mut operands = Vec::new();
        assert_eq!(
            Lexer::new(many.as_bytes()).next_operation(&mut operands),
            Err(Malformed)
        );
        let deep = "[".repeat(MAX_NESTING + 2);
        assert_eq!(
            Lexer::new(deep.as_bytes()).next_operation(&mut operands),
            Err(Malformed)
        );
        assert_eq!(
            Lexer::new(b"(unterminated").next_operation(&mut operands),
            Err(Malformed)
        );
    }
}
