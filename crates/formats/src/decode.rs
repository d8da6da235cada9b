//! Bytes to text, safely.
//!
//! Disclosures arrive as UTF-8 (with or without BOM) or as GB18030/GBK from older Windows
//! tools. A file larger than [`MAX_INPUT_BYTES`] is refused before it is read, binary input is
//! refused with the offending offset, and text that decodes only with replacement characters
//! is refused rather than half-read.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use crate::error::ReadError;

/// The largest disclosure accepted: real ones are under 1 MB; 16 MB leaves room for huge
/// departments while keeping memory bounded.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads at most [`MAX_INPUT_BYTES`] from `path`, refusing larger files without loading them.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size,
            limit: MAX_INPUT_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_INPUT_BYTES,
        });
    }
    Ok(bytes)
}

/// Decodes `bytes` as UTF-8 (BOM stripped) or, failing that, GB18030.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ReadError> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_INPUT_BYTES,
        });
    }
    let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    if let Some(offset) = first_control_byte(body) {
        return Err(ReadError::Binary {
            offset,
            byte: body[offset],
        });
    }
    // SIMD validation first: almost every input is UTF-8, and this is the hot path.
    if let Ok(s) = simdutf8::basic::from_utf8(body) {
        return Ok(Cow::Borrowed(s));
    }
    let valid_up_to = std::str::from_utf8(body)
        .err()
        .map(|e| e.valid_up_to())
        .unwrap_or(0);
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(body);
    if had_errors {
        return Err(ReadError::Encoding {
            offset: valid_up_to,
        });
    }
    Ok(Cow::Owned(text.into_owned()))
}

/// The offset of the first control byte that text never contains (tab, LF, CR and form feed
/// are allowed). Sixty-four bytes at a time with a branch-free test the compiler turns into
/// vector compares: tables are full of tabs and newlines, so a test that stops at every byte
/// below 0x20 would stop on most words; only a block that holds a forbidden byte is looked at
/// byte by byte.
fn first_control_byte(bytes: &[u8]) -> Option<usize> {
    #[inline]
    fn forbidden(b: u8) -> bool {
        b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' && b != 0x0c
    }
    const BLOCK: usize = 64;
    let mut blocks = bytes.chunks_exact(BLOCK);
    for (k, block) in blocks.by_ref().enumerate() {
        if block.iter().fold(false, |any, &b| any | forbidden(b)) {
            let p = block.iter().position(|&b| forbidden(b))?;
            return Some(k * BLOCK + p);
        }
    }
    let done = bytes.len() - blocks.remainder().len();
    blocks
        .remainder()
        .iter()
        .position(|&b| forbidden(b))
        .map(|p| done + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_departments_send() {
        assert_eq!(decode("表 1\n".as_bytes()).unwrap(), "表 1\n");
        assert_eq!(decode(b"\xEF\xBB\xBF\xe8\xa1\xa8").unwrap(), "表");
        let (gb, _, _) = encoding_rs::GB18030.encode("部门预算公开");
        assert_eq!(decode(&gb).unwrap(), "部门预算公开");
    }

    #[test]
    fn control_bytes_found_wherever_they_are() {
        // in a full block and in the remainder after the blocks, among allowed control bytes
        for at in 0..200 {
            let mut bytes: Vec<u8> = b"a\tb\nc\r\x0c".iter().copied().cycle().take(200).collect();
            bytes[at] = 0x01;
            assert_eq!(first_control_byte(&bytes), Some(at), "at {at}");
            bytes[at] = 0x1f;
            bytes[199] = 0x00;
            assert_eq!(first_control_byte(&bytes), Some(at), "at {at}");
        }
        assert_eq!(
            first_control_byte("表\t1\r\n\x0c单位：万元\n".as_bytes()),
            None
        );
        assert_eq!(first_control_byte(&[0xe8, 0xa1, 0xa8, 0x1f]), Some(3));
    }

    #[test]
    fn refuses_what_is_not_text() {
        assert!(matches!(decode(b""), Err(ReadError::Empty)));
        assert!(matches!(decode(b" \n\t"), Err(ReadError::Empty)));
        assert!(matches!(
            decode(b"abc\x00def"),
            Err(ReadError::Binary { offset: 3, .. })
        ));
        assert!(matches!(
            decode(&[0xff, 0xfe, 0xfd, 0x80, 0x81]),
            Err(ReadError::Encoding { .. })
        ));
    }
}
