//! PDFs built byte by byte here. Bad and hostile ones are refused with the error that says what
//! is wrong and where — never a panic, never unbounded; the others exercise what the real
//! disclosures do not (rotation, crop boxes, forms, hidden text, simple fonts) and are read as a
//! viewer shows them.

use std::io::Write;

use budgetflow_pdf::{read, read_with, Limits, PdfError};

const COMMERCE: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../samples/shanghai/putuo-commerce-unit-2025.pdf"
));

/// A PDF of the given objects (numbered from 1, object 1 the catalog) with a correct
/// cross-reference table; `trailer_extra` goes into the trailer dictionary.
fn pdf(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj", index + 1).unwrap();
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).unwrap();
    for offset in offsets {
        writeln!(out, "{offset:010} 00000 n ").unwrap();
    }
    write!(
        out,
        "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    )
    .unwrap();
    out
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// One page (object 3) with the given content (object 4) and a Helvetica font /F1 (object 5);
/// `page_extra` goes into the page dictionary, `more` are objects 6 onwards.
fn one_page(content: &[u8], page_extra: &str, more: &[Vec<u8>]) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 600 800] >>".to_vec(),
        format!(
            "<< /Type /Page /Parent 2 0 R /Contents 4 0 R {page_extra} \
             /Resources << /Font << /F1 5 0 R >> >> >>"
        )
        .into_bytes(),
        stream("", content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 90 \
           /Widths [250 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 500 500 500 500 500 500 500 500 500 500 \
           0 0 0 0 0 0 0 600 600 600 600 600 600 600 600 600 600 600 600 600 600 600 600 600 \
           600 600 600 600 600 600 600 600 600] /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    objects.extend_from_slice(more);
    pdf(&objects, "")
}

fn texts(bytes: &[u8]) -> Vec<String> {
    read(bytes)
        .expect("reads")
        .remove(0)
        .words
        .into_iter()
        .map(|w| w.text)
        .collect()
}

#[test]
fn a_plain_page_reads_with_positions_from_the_top_left() {
    let page = read(&one_page(b"BT /F1 10 Tf 100 700 Td (AB 12) Tj ET", "", &[]))
        .unwrap()
        .remove(0);
    assert_eq!((page.width, page.height), (600.0, 800.0));
    let words: Vec<_> = page
        .words
        .iter()
        .map(|w| (w.text.as_str(), w.x0, w.x1))
        .collect();
    assert_eq!(words, [("AB", 100.0, 112.0), ("12", 114.5, 124.5)]);
    let top = page.words[0].top;
    assert!(
        top < 100.0 && page.words[0].bottom > 100.0,
        "baseline 100 pt from the top"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_parsed() {
    let limits = Limits {
        max_input_bytes: 1000,
        ..Limits::default()
    };
    assert_eq!(
        read_with(COMMERCE, &limits),
        Err(PdfError::TooLarge {
            size: COMMERCE.len(),
            limit: 1000
        })
    );
}

#[test]
fn something_else_than_a_pdf_is_refused() {
    assert_eq!(read(b"PK\x03\x04 a workbook"), Err(PdfError::NotPdf));
    assert_eq!(read(b""), Err(PdfError::NotPdf));
}

#[test]
fn a_truncated_file_is_refused_or_read_as_far_as_it_goes_without_panicking() {
    for cut in [
        10,
        100,
        1_000,
        20_000,
        COMMERCE.len() / 2,
        COMMERCE.len() - 100,
    ] {
        match read(&COMMERCE[..cut]) {
            Ok(pages) => assert!(pages.len() <= 22),
            Err(error) => assert!(
                matches!(
                    error,
                    PdfError::Malformed { .. }
                        | PdfError::NoPages
                        | PdfError::BadStream { .. }
                        | PdfError::NoTextLayer { .. }
                ),
                "cut at {cut}: {error:?}"
            ),
        }
    }
}

#[test]
fn flipped_bytes_never_panic() {
    // A little fuzzing: every 3,989th byte (objects, streams, xref) set to each of two values.
    for value in [0xFF, b'0'] {
        for position in (9..COMMERCE.len()).step_by(3989) {
            let mut bytes = COMMERCE.to_vec();
            bytes[position] = value;
            let _ = read(&bytes);
        }
    }
}

#[test]
fn a_flate_bomb_stops_at_the_stream_limit() {
    let bomb = deflate(&vec![0u8; 8 * 1024 * 1024]);
    assert!(bomb.len() < 20_000, "a small file that expands 400-fold");
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 4 0 R >>".to_vec(),
    ];
    objects.push(stream("/Filter /FlateDecode", &bomb));
    let limits = Limits {
        max_stream_bytes: 1024 * 1024,
        ..Limits::default()
    };
    assert_eq!(
        read_with(&pdf(&objects, ""), &limits),
        Err(PdfError::StreamTooLarge {
            page: 1,
            object: Some((4, 0)),
            limit: 1024 * 1024
        })
    );
}

#[test]
fn an_object_stream_bomb_stops_while_the_file_is_loaded() {
    let bomb = deflate(&vec![b'0'; 8 * 1024 * 1024]);
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] >>".to_vec(),
        stream("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", &bomb),
    ];
    let limits = Limits {
        max_stream_bytes: 1024 * 1024,
        ..Limits::default()
    };
    assert_eq!(
        read_with(&pdf(&objects, ""), &limits),
        Err(PdfError::ObjectStreamTooLarge { limit: 1024 * 1024 })
    );
}

#[test]
fn streams_that_are_each_small_but_large_together_stop_at_the_total_limit() {
    let chunk = deflate(&[b' '; 600 * 1024]);
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents [4 0 R 4 0 R 4 0 R] >>"
            .to_vec(),
    ];
    objects.push(stream("/Filter /FlateDecode", &chunk));
    let limits = Limits {
        max_stream_bytes: 1024 * 1024,
        max_total_stream_bytes: 1024 * 1024,
        ..Limits::default()
    };
    assert_eq!(
        read_with(&pdf(&objects, ""), &limits),
        Err(PdfError::StreamsTooLarge {
            page: 1,
            limit: 1024 * 1024
        })
    );
}

#[test]
fn reference_cycles_end() {
    // The page tree lists itself among its kids, the page's /Rotate is an object that is a
    // reference to itself, and its second content stream is such an object too.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /MediaBox [0 0 600 800] >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Contents [4 0 R 6 0 R] /Rotate 6 0 R \
           /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        stream("", b"BT /F1 10 Tf 100 700 Td (LOOP) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        b"6 0 R".to_vec(),
    ];
    let pages = read(&pdf(&objects, "")).expect("the page inside the loop is read");
    assert_eq!(pages.len(), 1, "every node of the tree is visited once");
    assert_eq!(pages[0].words[0].text, "LOOP");
    assert_eq!(
        pages[0].width, 600.0,
        "an unreadable /Rotate is no rotation"
    );
}

#[test]
fn a_form_that_draws_itself_stops_at_the_nesting_limit() {
    let form = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 600 800] \
         /Resources << /XObject << /X1 6 0 R >> >>",
        b"/X1 Do",
    );
    let bytes = one_page(b"/X1 Do", "", &[form]);
    let bytes = String::from_utf8_lossy(&bytes).replace(
        "/Font << /F1 5 0 R >>",
        "/Font << /F1 5 0 R >> /XObject << /X1 6 0 R >>",
    );
    let bytes = fix_xref(bytes.into_bytes());
    assert_eq!(
        read(&bytes),
        Err(PdfError::XObjectTooDeep {
            page: 1,
            object: Some((6, 0)),
            limit: Limits::default().max_xobject_depth
        })
    );
}

/// After editing a built file its offsets are stale; lopdf rebuilds the cross-references by
/// scanning, as it does for damaged real files. Dropping the table makes that explicit.
fn fix_xref(bytes: Vec<u8>) -> Vec<u8> {
    let end = bytes.windows(4).position(|w| w == b"xref").unwrap();
    let mut out = bytes[..end].to_vec();
    out.extend_from_slice(b"trailer\n<< /Size 7 /Root 1 0 R >>\n%%EOF\n");
    out
}

#[test]
fn an_encrypted_pdf_is_refused() {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] >>".to_vec(),
    ];
    objects.push(
        b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 \
           /O <0000000000000000000000000000000000000000000000000000000000000000> \
           /U <0000000000000000000000000000000000000000000000000000000000000000> >>"
            .to_vec(),
    );
    let bytes = pdf(&objects, "/Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]");
    assert_eq!(read(&bytes), Err(PdfError::Encrypted));
}

#[test]
fn a_scan_without_text_has_no_text_layer() {
    let image = stream(
        "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray \
         /BitsPerComponent 8",
        b"\x80",
    );
    let bytes = one_page(b"q 600 0 0 800 0 0 cm /Im1 Do Q", "", &[image]);
    let bytes = String::from_utf8_lossy(&bytes)
        .replace("/Font << /F1 5 0 R >>", "/XObject << /Im1 6 0 R >>")
        .into_bytes();
    assert_eq!(
        read(&fix_xref(bytes)),
        Err(PdfError::NoTextLayer { pages: 1 })
    );
}

#[test]
fn page_count_operator_and_word_limits_are_enforced() {
    let limits = Limits {
        max_pages: 5,
        ..Limits::default()
    };
    assert_eq!(
        read_with(COMMERCE, &limits),
        Err(PdfError::TooManyPages { limit: 5 })
    );

    let limits = Limits {
        max_words_per_page: 20,
        ..Limits::default()
    };
    assert_eq!(
        read_with(COMMERCE, &limits),
        Err(PdfError::TooManyWords { page: 2, limit: 20 })
    );

    let limits = Limits {
        max_operators_per_page: 1000,
        ..Limits::default()
    };
    let content = "0 0 m 1 1 l S\n".repeat(400);
    assert_eq!(
        read_with(&one_page(content.as_bytes(), "", &[]), &limits),
        Err(PdfError::TooManyOperators {
            page: 1,
            limit: 1000
        })
    );
}

#[test]
fn text_in_a_font_the_page_does_not_define_is_refused() {
    assert_eq!(
        read(&one_page(b"BT /F9 10 Tf (A) Tj ET", "", &[])),
        Err(PdfError::MissingFont {
            page: 1,
            name: "F9".into()
        })
    );
}

#[test]
fn a_character_map_of_millions_of_codes_is_refused() {
    let cmap = stream(
        "",
        b"1 beginbfrange <00000000> <FFFFFFFF> <0041> endbfrange",
    );
    let bytes = one_page(b"BT /F1 10 Tf (A) Tj ET", "", &[cmap]);
    let bytes = String::from_utf8_lossy(&bytes)
        .replace(
            "/Encoding /WinAnsiEncoding",
            "/Encoding /WinAnsiEncoding /ToUnicode 6 0 R",
        )
        .into_bytes();
    assert_eq!(
        read(&fix_xref(bytes)),
        Err(PdfError::CMapTooLarge {
            page: 1,
            font: "F1".into(),
            object: Some((6, 0)),
            limit: Limits::default().max_cmap_entries
        })
    );
}

#[test]
fn invisible_rotated_and_overprinted_text_is_read_as_a_viewer_shows_it() {
    let content = b"BT /F1 10 Tf 100 700 Td (SHOWN) Tj ET \
        BT /F1 10 Tf 3 Tr 100 650 Td (HIDDEN) Tj ET \
        BT /F1 10 Tf 0 1 -1 0 300 300 Tm (ROTATED) Tj ET \
        BT /F1 10 Tf 0 Tr 100 600 Td (BOLD) Tj ET BT /F1 10 Tf 100 600 Td (BOLD) Tj ET \
        BT /F1 10 Tf 100 550 Td [(H) 570 (H) 30 (E) 570 (E)] TJ ET BT /F1 10 Tf 100 520 Td (EE) Tj ET \
        q 0 0 600 400 re W n BT /F1 10 Tf 100 500 Td (CLIPPED) Tj ET Q";
    // BOLD drawn twice in place, HE with each glyph drawn twice 0.3 pt apart; EE is two letters.
    assert_eq!(
        texts(&one_page(content, "", &[])),
        ["SHOWN", "BOLD", "HE", "EE"]
    );
}

#[test]
fn rotation_and_crop_box_shape_the_page_as_displayed() {
    // Text drawn turned a quarter left on a page shown turned a quarter right reads level.
    let page = read(&one_page(
        b"BT /F1 10 Tf 0 1 -1 0 300 100 Tm (AB) Tj ET BT /F1 10 Tf 100 700 Td (SIDEWAYS) Tj ET",
        "/Rotate 90 /CropBox [50 50 550 750]",
        &[],
    ))
    .unwrap()
    .remove(0);
    assert_eq!((page.width, page.height), (700.0, 500.0));
    let words: Vec<_> = page
        .words
        .iter()
        .map(|w| (w.text.as_str(), w.x0, w.x1))
        .collect();
    assert_eq!(
        words,
        [("AB", 50.0, 62.0)],
        "level text only, from the displayed corner"
    );
    assert!(page.words[0].top < 250.0 && page.words[0].bottom > 250.0);

    let cropped = read(&one_page(
        b"BT /F1 10 Tf 100 700 Td (IN) Tj 300 0 Td (OUT) Tj ET",
        "/CropBox [0 0 300 800]",
        &[],
    ))
    .unwrap()
    .remove(0);
    assert_eq!(cropped.width, 300.0);
    let words: Vec<_> = cropped.words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(words, ["IN"], "text outside the crop box is not shown");
}

#[test]
fn a_form_s_text_is_read_where_the_form_places_it() {
    let form = stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 300 100] /Matrix [1 0 0 1 50 100] \
         /Resources << /Font << /F1 5 0 R >> >>",
        b"BT /F1 10 Tf 10 20 Td (FORM) Tj ET",
    );
    let bytes = one_page(b"q 2 0 0 2 0 0 cm /X1 Do Q", "", &[form]);
    let bytes = String::from_utf8_lossy(&bytes)
        .replace(
            "/Font << /F1 5 0 R >>",
            "/Font << /F1 5 0 R >> /XObject << /X1 6 0 R >>",
        )
        .into_bytes();
    let page = read(&fix_xref(bytes)).unwrap().remove(0);
    let word = &page.words[0];
    // (10, 20) in the form, moved by its matrix to (60, 120), doubled by the page's cm.
    assert_eq!(
        (word.text.as_str(), word.x0, word.size),
        ("FORM", 120.0, 20.0)
    );
    assert!(word.top < 800.0 - 240.0 && word.bottom > 800.0 - 240.0);
}

#[test]
fn kerning_keeps_a_word_together_and_a_wide_gap_splits_it() {
    let content = b"BT /F1 10 Tf 100 700 Td [(A) 80 (B) -1000 (C)] TJ ET";
    assert_eq!(texts(&one_page(content, "", &[])), ["AB", "C"]);
}

#[test]
fn a_simple_font_without_a_map_reads_through_its_encoding_differences() {
    // As Ghostscript writes Type 1 fonts: a custom encoding naming the glyphs, no ToUnicode.
    let bytes = one_page(
        b"BT /F1 10 Tf 100 700 Td (of\\001ce \\002\\200) Tj ET",
        "",
        &[],
    );
    let bytes = String::from_utf8_lossy(&bytes)
        .replace(
            "/Encoding /WinAnsiEncoding",
            "/Encoding << /BaseEncoding /WinAnsiEncoding /Differences [1 /fi /uni4E2D] >>",
        )
        .into_bytes();
    let bytes = fix_xref(bytes);
    assert_eq!(texts(&bytes), ["office", "中€"]);
}
