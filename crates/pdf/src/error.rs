//! Everything that can stop a PDF from being read, each case saying where (page, object).

/// A PDF object number and generation, as `12 0` in the file.
pub type ObjectId = (u32, u16);

/// Why a PDF could not be read. Every variant names the limit or the place that failed, so
/// that a refusal can be reported to the submitter in their terms.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PdfError {
    #[error("the file is {size} bytes; PDFs over {limit} bytes are not read")]
    TooLarge { size: usize, limit: usize },
    #[error("not a PDF: the file does not start with %PDF-")]
    NotPdf,
    #[error("the PDF is encrypted; encrypted PDFs are not read (export it again without a password or restrictions)")]
    Encrypted,
    #[error("the PDF's structure cannot be read: {detail}")]
    Malformed { detail: String },
    #[error("the PDF has {count} objects; at most {limit} are read")]
    TooManyObjects { count: usize, limit: usize },
    #[error("the PDF has more than {limit} pages")]
    TooManyPages { limit: usize },
    #[error("the PDF has no pages")]
    NoPages,
    #[error("page {page}: {detail}")]
    BadPage { page: u32, detail: String },
    #[error("an object or cross-reference stream decodes to more than {limit} bytes")]
    ObjectStreamTooLarge { limit: usize },
    #[error("page {page}: stream {object:?} decodes to more than {limit} bytes")]
    StreamTooLarge {
        page: u32,
        object: Option<ObjectId>,
        limit: usize,
    },
    #[error("page {page}: the streams read so far decode to more than {limit} bytes in all")]
    StreamsTooLarge { page: u32, limit: usize },
    #[error("page {page}: stream {object:?} cannot be decoded: {detail}")]
    BadStream {
        page: u32,
        object: Option<ObjectId>,
        detail: String,
    },
    #[error("page {page}: its content streams cannot be parsed")]
    BadContent { page: u32 },
    #[error("page {page}: more than {limit} content operators")]
    TooManyOperators { page: u32, limit: usize },
    #[error("page {page}: more than {limit} words")]
    TooManyWords { page: u32, limit: usize },
    #[error("page {page}: form XObject {object:?} is nested more than {limit} deep")]
    XObjectTooDeep {
        page: u32,
        object: Option<ObjectId>,
        limit: usize,
    },
    #[error(
        "page {page}: text is shown in font /{name}, which the page's resources do not define"
    )]
    MissingFont { page: u32, name: String },
    #[error(
        "page {page}: the character map {object:?} of font /{font} maps more than {limit} codes"
    )]
    CMapTooLarge {
        page: u32,
        font: String,
        object: Option<ObjectId>,
        limit: usize,
    },
    #[error("the PDF has no text layer ({pages} pages without a single glyph): scanned PDFs are not read, there is no OCR")]
    NoTextLayer { pages: u32 },
}
