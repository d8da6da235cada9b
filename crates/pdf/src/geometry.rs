//! Affine matrices and axis-aligned rectangles in the page's display space.
//!
//! The interpreter composes every position into one matrix that maps text space straight to
//! display space (points, origin top-left, `y` down, page rotation applied), so that a glyph's
//! box, its orientation and the clip test are all read off the same numbers.

/// A PDF transformation matrix `[a b c d e f]`, applied to row vectors as the PDF spec does:
/// `(x, y) -> (a·x + c·y + e, b·x + d·y + f)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Matrix {
    pub a: f32,
    pub b: f32,
    pub c: f32,
    pub d: f32,
    pub e: f32,
    pub f: f32,
}

impl Matrix {
    pub const IDENTITY: Matrix = Matrix::new(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);

    pub const fn new(a: f32, b: f32, c: f32, d: f32, e: f32, f: f32) -> Matrix {
        Matrix { a, b, c, d, e, f }
    }

    pub const fn translation(x: f32, y: f32) -> Matrix {
        Matrix::new(1.0, 0.0, 0.0, 1.0, x, y)
    }

    /// `self` first, then `then` — the order of `cm` (`new CTM = M × CTM`).
    pub fn then(&self, then: &Matrix) -> Matrix {
        Matrix {
            a: self.a * then.a + self.b * then.c,
            b: self.a * then.b + self.b * then.d,
            c: self.c * then.a + self.d * then.c,
            d: self.c * then.b + self.d * then.d,
            e: self.e * then.a + self.f * then.c + then.e,
            f: self.e * then.b + self.f * then.d + then.f,
        }
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        (
            self.a * x + self.c * y + self.e,
            self.b * x + self.d * y + self.f,
        )
    }

    pub fn is_finite(&self) -> bool {
        [self.a, self.b, self.c, self.d, self.e, self.f]
            .iter()
            .all(|v| v.is_finite())
    }
}

/// An axis-aligned rectangle in display space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rect {
    /// The smallest rectangle around both corners, whichever way round they were given.
    pub fn spanning(ax: f32, ay: f32, bx: f32, by: f32) -> Rect {
        Rect {
            x0: ax.min(bx),
            y0: ay.min(by),
            x1: ax.max(bx),
            y1: ay.max(by),
        }
    }

    pub fn include(&mut self, x: f32, y: f32) {
        self.x0 = self.x0.min(x);
        self.y0 = self.y0.min(y);
        self.x1 = self.x1.max(x);
        self.y1 = self.y1.max(y);
    }

    /// The overlap of two rectangles; empty (zero-sized) when they do not meet.
    pub fn intersect(&self, other: &Rect) -> Rect {
        let x0 = self.x0.max(other.x0);
        let y0 = self.y0.max(other.y0);
        Rect {
            x0,
            y0,
            x1: self.x1.min(other.x1).max(x0),
            y1: self.y1.min(other.y1).max(y0),
        }
    }

    /// Containment with a small tolerance: a glyph centred on the clip edge to the hundredth
    /// of a point is still shown.
    pub fn contains(&self, x: f32, y: f32) -> bool {
        const SLACK: f32 = 0.01;
        x >= self.x0 - SLACK && x <= self.x1 + SLACK && y >= self.y0 - SLACK && y <= self.y1 + SLACK
    }
}
