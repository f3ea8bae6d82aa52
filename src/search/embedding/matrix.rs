//! Matrix products on the calling thread, through the `gemm` crate.
//!
//! `gemm` picks SIMD kernels at run time (AVX2/FMA, AVX-512 where the CPU has them) and is
//! asked for [`Parallelism::None`]: the product runs on the thread that calls it, never on a
//! thread pool, so each search thread embedding a query uses exactly one core and a busy
//! embedder cannot starve the async workers. The crate's only entry point takes raw pointers
//! and strides; [`View`] checks that every element a product will touch lies inside the
//! slices handed in, which is what makes the one `unsafe` call below sound.

// The one call into gemm takes raw pointers; the module exists to check them first.
#![allow(unsafe_code)]

use gemm::{Parallelism, gemm};

/// `rows × cols` elements of `data`, element (r, c) at `r * row_stride + c * col_stride`.
#[derive(Clone, Copy)]
pub(crate) struct View<'a> {
    data: &'a [f32],
    rows: usize,
    cols: usize,
    row_stride: usize,
    col_stride: usize,
}

impl<'a> View<'a> {
    /// A view of `data`; panics when an element would lie outside it (a bug in the caller,
    /// never a consequence of input: every shape comes from the checked model config).
    pub(crate) fn new(
        data: &'a [f32],
        (rows, cols): (usize, usize),
        (row_stride, col_stride): (usize, usize),
    ) -> Self {
        assert!(last_index(rows, cols, row_stride, col_stride) < data.len().max(1));
        View {
            data,
            rows,
            cols,
            row_stride,
            col_stride,
        }
    }

    /// A dense row-major view.
    pub(crate) fn rows(data: &'a [f32], rows: usize, cols: usize) -> Self {
        View::new(data, (rows, cols), (cols, 1))
    }
}

fn last_index(rows: usize, cols: usize, row_stride: usize, col_stride: usize) -> usize {
    if rows == 0 || cols == 0 {
        return 0;
    }
    (rows - 1) * row_stride + (cols - 1) * col_stride
}

/// `dst = scale · lhs · rhs`, or `dst += scale · lhs · rhs` when `accumulate`; `dst` is
/// row-major with `dst_row_stride` between rows.
pub(crate) fn multiply(
    dst: &mut [f32],
    dst_row_stride: usize,
    lhs: View<'_>,
    rhs: View<'_>,
    accumulate: bool,
    scale: f32,
) {
    let (m, k, n) = (lhs.rows, lhs.cols, rhs.cols);
    assert_eq!(k, rhs.rows, "inner dimensions differ");
    assert!(last_index(m, n, dst_row_stride, 1) < dst.len().max(1));
    if m == 0 || n == 0 {
        return;
    }
    let stride = |s: usize| isize::try_from(s).expect("stride fits isize");
    // SAFETY: the asserts above and in `View::new` keep every element gemm reads (lhs: m × k,
    // rhs: k × n) or writes (dst: m × n) at the given strides inside its slice; `dst` is a
    // unique borrow, so it overlaps neither input.
    unsafe {
        gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            stride(dst_row_stride),
            accumulate,
            lhs.data.as_ptr(),
            stride(lhs.col_stride),
            stride(lhs.row_stride),
            rhs.data.as_ptr(),
            stride(rhs.col_stride),
            stride(rhs.row_stride),
            1.0,
            scale,
            false,
            false,
            false,
            Parallelism::None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiply_follows_strides_and_accumulates() {
        // lhs = [[1, 2], [3, 4]]; rhs read transposed from [[5, 6], [7, 8]] = [[5, 7], [6, 8]].
        let lhs = [1.0, 2.0, 3.0, 4.0];
        let rhs = [5.0, 6.0, 7.0, 8.0];
        let mut dst = [1.0; 4];
        multiply(
            &mut dst,
            2,
            View::rows(&lhs, 2, 2),
            View::new(&rhs, (2, 2), (1, 2)),
            true,
            2.0,
        );
        // 1 + 2 · [[1·5 + 2·6, 1·7 + 2·8], [3·5 + 4·6, 3·7 + 4·8]]
        assert_eq!(dst, [35.0, 47.0, 79.0, 107.0]);
    }

    #[test]
    #[should_panic]
    fn a_view_larger_than_its_data_is_refused() {
        View::rows(&[0.0; 5], 2, 3);
    }
}
