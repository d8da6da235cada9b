//! The small part of the CMap language a text extractor needs: code space ranges (how many
//! bytes make one character code) and the `bfchar`/`bfrange` mappings of a ToUnicode CMap
//! (character code → UTF-16BE text).
//!
//! Our own parser rather than a library's, because the real exports (WPS, Word, ONLYOFFICE)
//! use Identity-H CID fonts whose text exists *only* in these maps, and because a hostile map
//! can declare a range of millions of codes: every expansion here counts against a limit.

use std::collections::HashMap;

/// Why a CMap could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CMapError {
    /// More mapped codes than the limit (ranges count every code they cover).
    TooManyEntries,
}

/// Byte lengths of character codes, from `begincodespacerange`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Codespace {
    /// `(low, high)` byte strings of equal length, 1 to 4 bytes.
    ranges: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Codespace {
    /// Two-byte codes throughout: Identity-H/V and the other predefined CJK CMaps.
    pub fn two_byte() -> Codespace {
        Codespace {
            ranges: vec![(vec![0x00, 0x00], vec![0xFF, 0xFF])],
        }
    }

    pub fn one_byte() -> Codespace {
        Codespace {
            ranges: vec![(vec![0x00], vec![0xFF])],
        }
    }

    /// The next character code of a string and its length in bytes. A byte sequence that
    /// matches no range is taken one byte at a time (as the spec's fallback to the shortest
    /// code length does), so a string always advances.
    pub fn next_code(&self, bytes: &[u8]) -> (u32, usize) {
        for (low, high) in &self.ranges {
            let n = low.len();
            if bytes.len() >= n
                && bytes[..n]
                    .iter()
                    .zip(low.iter().zip(high))
                    .all(|(b, (lo, hi))| b >= lo && b <= hi)
            {
                return (code_of(&bytes[..n]), n);
            }
        }
        let n = self
            .ranges
            .iter()
            .map(|(low, _)| low.len())
            .min()
            .unwrap_or(1)
            .min(bytes.len())
            .max(1);
        (code_of(&bytes[..n.min(bytes.len())]), n)
    }
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b))
}

/// A parsed ToUnicode CMap.
#[derive(Debug, Clone, Default)]
pub(crate) struct ToUnicode {
    pub codespace: Option<Codespace>,
    map: HashMap<u32, String>,
}

impl ToUnicode {
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn get(&self, code: u32) -> Option<&str> {
        self.map.get(&code).map(String::as_str)
    }

    /// Parses the CMap program. Unknown operators and malformed entries are skipped: a
    /// damaged map loses the entries it garbles, not the whole font.
    pub fn parse(program: &[u8], max_entries: usize) -> Result<ToUnicode, CMapError> {
        let tokens = tokenize(program);
        let mut cmap = ToUnicode::default();
        let mut codespace = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match &tokens[i] {
                Token::Keyword(k) if k == b"begincodespacerange" => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if lo.len() == hi.len() && (1..=4).contains(&lo.len()) {
                            codespace.push((lo.clone(), hi.clone()));
                        }
                        i += 2;
                    }
                }
                Token::Keyword(k) if k == b"beginbfchar" => {
                    i += 1;
                    while let (Some(Token::Hex(src)), Some(dst)) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        if let Token::Hex(dst) = dst {
                            cmap.insert(code_of(src), utf16_text(dst), max_entries)?;
                        }
                        i += 2;
                    }
                }
                Token::Keyword(k) if k == b"beginbfrange" => {
                    i += 1;
                    while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                        (tokens.get(i), tokens.get(i + 1))
                    {
                        let (lo, hi) = (code_of(lo), code_of(hi));
                        i += 2;
                        match tokens.get(i) {
                            Some(Token::Hex(first)) => {
                                if hi >= lo {
                                    cmap.check_room(hi - lo, max_entries)?;
                                    for (offset, code) in (lo..=hi).enumerate() {
                                        let text = utf16_text(&incremented(first, offset));
                                        cmap.insert(code, text, max_entries)?;
                                    }
                                }
                                i += 1;
                            }
                            Some(Token::ArrayStart) => {
                                i += 1;
                                let mut code = Some(lo);
                                while let Some(Token::Hex(dst)) = tokens.get(i) {
                                    if let Some(c) = code.filter(|c| *c <= hi) {
                                        cmap.insert(c, utf16_text(dst), max_entries)?;
                                        code = c.checked_add(1);
                                    }
                                    i += 1;
                                }
                                if let Some(Token::ArrayEnd) = tokens.get(i) {
                                    i += 1;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                _ => i += 1,
            }
        }
        if !codespace.is_empty() {
            cmap.codespace = Some(Codespace { ranges: codespace });
        }
        Ok(cmap)
    }

    /// Refuses a range before expanding it, so a `<0000> <FFFFFFFF>` range costs nothing.
    fn check_room(&self, span: u32, max_entries: usize) -> Result<(), CMapError> {
        if self.map.len().saturating_add(span as usize) >= max_entries {
            return Err(CMapError::TooManyEntries);
        }
        Ok(())
    }

    fn insert(&mut self, code: u32, text: String, max_entries: usize) -> Result<(), CMapError> {
        if self.map.len() >= max_entries {
            return Err(CMapError::TooManyEntries);
        }
        self.map.insert(code, text);
        Ok(())
    }
}

/// Parses only the code space of a CMap (an embedded `/Encoding` CMap of a Type0 font).
pub(crate) fn parse_codespace(program: &[u8]) -> Option<Codespace> {
    let tokens = tokenize(program);
    let start = tokens
        .iter()
        .position(|t| matches!(t, Token::Keyword(k) if k == b"begincodespacerange"))?;
    let ranges: Vec<_> = tokens[start + 1..]
        .chunks(2)
        .map_while(|pair| match pair {
            [Token::Hex(lo), Token::Hex(hi)]
                if lo.len() == hi.len() && (1..=4).contains(&lo.len()) =>
            {
                Some((lo.clone(), hi.clone()))
            }
            _ => None,
        })
        .collect();
    (!ranges.is_empty()).then_some(Codespace { ranges })
}

/// The destination of a `bfrange` entry's `offset`-th code: the start string with its last
/// UTF-16 code unit incremented (what every producer means, and what readers do).
fn incremented(start: &[u8], offset: usize) -> Vec<u8> {
    let mut out = start.to_vec();
    let n = out.len();
    if n >= 2 {
        let last = u16::from_be_bytes([out[n - 2], out[n - 1]]).wrapping_add(offset as u16);
        out[n - 2..].copy_from_slice(&last.to_be_bytes());
    } else if n == 1 {
        out[0] = out[0].wrapping_add(offset as u8);
    }
    out
}

/// UTF-16BE to text; unpaired surrogates become U+FFFD rather than an error. A single byte
/// (which some producers write) is taken as a Latin-1 character.
fn utf16_text(bytes: &[u8]) -> String {
    if bytes.len() == 1 {
        return char::from(bytes[0]).to_string();
    }
    let units = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    ArrayStart,
    ArrayEnd,
    Keyword(Vec<u8>),
    Other,
}

/// PostScript-ish tokens; names, numbers, literal strings and dictionaries are all `Other`
/// or keywords, since only hex strings and the section keywords carry mappings.
fn tokenize(program: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < program.len() {
        let b = program[i];
        match b {
            b'%' => {
                while i < program.len() && program[i] != b'\n' && program[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' if program.get(i + 1) == Some(&b'<') => {
                tokens.push(Token::Other);
                i += 2;
            }
            b'>' if program.get(i + 1) == Some(&b'>') => {
                tokens.push(Token::Other);
                i += 2;
            }
            b'<' => {
                let mut digits = Vec::new();
                i += 1;
                while i < program.len() && program[i] != b'>' {
                    if program[i].is_ascii_hexdigit() {
                        digits.push(program[i]);
                    }
                    i += 1;
                }
                i += 1;
                if digits.len() % 2 == 1 {
                    digits.push(b'0');
                }
                let bytes = digits
                    .chunks_exact(2)
                    .map(|pair| (hex_value(pair[0]) << 4) | hex_value(pair[1]))
                    .collect();
                tokens.push(Token::Hex(bytes));
            }
            b'[' => {
                tokens.push(Token::ArrayStart);
                i += 1;
            }
            b']' => {
                tokens.push(Token::ArrayEnd);
                i += 1;
            }
            b'(' => {
                let mut depth = 0usize;
                while i < program.len() {
                    match program[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                tokens.push(Token::Other);
            }
            _ if b.is_ascii_whitespace() || b == 0 => i += 1,
            _ => {
                let start = i;
                while i < program.len()
                    && !program[i].is_ascii_whitespace()
                    && !b"<>[]()%/{}".contains(&program[i])
                {
                    i += 1;
                }
                if i == start {
                    // A lone `/`, `{` or `}` starts no keyword.
                    i += 1;
                    tokens.push(Token::Other);
                } else if program[start].is_ascii_alphabetic() {
                    tokens.push(Token::Keyword(program[start..i].to_vec()));
                } else {
                    tokens.push(Token::Other);
                }
            }
        }
    }
    tokens
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAP: &[u8] = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap
        1 begincodespacerange <0000> <FFFF> endcodespacerange
        2 beginbfchar <0003> <0020> <04E6> <5546> endbfchar
        2 beginbfrange <0013> <0015> <0030> <0100> <0101> [<D83DDE00> <00660069>] endbfrange
        endcmap CMapName currentdict /CMap defineresource pop end end";

    #[test]
    fn bfchar_and_both_bfrange_forms_map_codes_to_text() {
        let cmap = ToUnicode::parse(MAP, 1000).unwrap();
        assert_eq!(cmap.get(0x0003), Some(" "));
        assert_eq!(cmap.get(0x04E6), Some("商"));
        assert_eq!(cmap.get(0x0013), Some("0"));
        assert_eq!(cmap.get(0x0015), Some("2"));
        assert_eq!(
            cmap.get(0x0100),
            Some("😀"),
            "a surrogate pair is one character"
        );
        assert_eq!(
            cmap.get(0x0101),
            Some("fi"),
            "a ligature maps to two characters"
        );
        assert_eq!(cmap.get(0x0016), None);
    }

    #[test]
    fn the_code_space_says_how_many_bytes_make_a_code() {
        let cmap = ToUnicode::parse(MAP, 1000).unwrap();
        let space = cmap.codespace.unwrap();
        assert_eq!(space.next_code(&[0x04, 0xE6, 0x00]), (0x04E6, 2));
        let mixed =
            parse_codespace(b"2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange")
                .unwrap();
        assert_eq!(mixed.next_code(b"A"), (0x41, 1));
        assert_eq!(mixed.next_code(&[0xB0, 0xA1]), (0xB0A1, 2));
        assert_eq!(
            mixed.next_code(&[0xB0]),
            (0xB0, 1),
            "a truncated code still advances"
        );
    }

    #[test]
    fn a_huge_range_is_refused_before_it_is_expanded() {
        let hostile = b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange";
        assert_eq!(
            ToUnicode::parse(hostile, 100_000).unwrap_err(),
            CMapError::TooManyEntries
        );
    }
}
