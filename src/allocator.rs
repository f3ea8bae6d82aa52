//! The global allocator of the binary and its benchmarks: mimalloc, called so that ordinary
//! allocations take its plain path.
//!
//! Why not the `mimalloc` crate's allocator: it hands every request to `mi_malloc_aligned`, and
//! mimalloc 3 serves an aligned request from its size class directly only up to 1 KiB or for
//! power-of-two classes. Every other block over 1 KiB (a search answer, a chunk's text, a
//! growing buffer) was over-allocated by the alignment and aligned by hand: a new question's
//! allocations cost about 9,000 instructions that way, 5,000 this way (docs/BENCHMARKS.md,
//! "The allocator").
//!
//! Every mimalloc block is at least word-aligned (size classes are whole words and each page's
//! first block is 16-byte aligned), so a request for alignment up to a word, which is nearly all
//! of Rust's, goes to `mi_malloc`; larger alignments keep the aligned calls.
//!
//! Freed memory goes back to the system as soon as a whole page of it is free
//! ([`return_freed_memory_at_once`]), rather than after mimalloc's default delay of a second
//! (ten for whole arenas), a purge that is carried out only when the thread owning the pages
//! next calls the allocator. With the delay, the threads that handled large request bodies kept
//! their pages: twenty bodies of 900 KB lifted the server's resident memory by 40 MB for good,
//! double what the fault suite allows (docs/RELIABILITY.md).
//!
//! Transparent huge pages are off for the process ([`no_transparent_huge_pages`]): mimalloc asks
//! for them on its arena, and each thread's first small allocations then claimed a whole 2 MiB
//! page: an idle server with no index held 14 MiB of heap for about 2 MiB of data
//! (docs/BENCHMARKS.md, "Idle memory").

// A global allocator is unsafe by its trait: the one module of the crate that implements one.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, mimalloc.h), which the Rust
/// bindings do not name: milliseconds between a page becoming free and its return to the system.
const PURGE_DELAY: mi::mi_option_t = 15;

/// mimalloc's `mi_option_allow_thp` (its place in `mi_option_e`, mimalloc.h): whether its memory
/// may be backed by transparent huge pages.
const ALLOW_THP: mi::mi_option_t = 43;

/// Makes mimalloc return free pages to the system at once. Called first thing in `main`.
pub fn return_freed_memory_at_once() {
    // SAFETY: sets an option by its number; mimalloc reads options at any time, thread-safely.
    unsafe { mi::mi_option_set(PURGE_DELAY, 0) }
}

/// Keeps the process's memory in 4 KiB pages. Runs when the program is loaded (below), before the
/// Rust runtime's first allocation makes mimalloc reserve its arena: the option stops mimalloc
/// asking for huge pages, and the process-wide switch (`PR_SET_THP_DISABLE`) covers anything
/// that asked already. Calling it again (from `main`) changes nothing.
pub fn no_transparent_huge_pages() {
    // SAFETY: as above.
    unsafe { mi::mi_option_set(ALLOW_THP, 0) };
    // SAFETY: `prctl` with PR_SET_THP_DISABLE reads only its integer arguments; on a kernel
    // without it, it fails with EINVAL, and huge pages simply stay allowed.
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

/// Runs [`no_transparent_huge_pages`] as the program is loaded: entries of `.init_array` run
/// before `main` and before the runtime allocates.
#[used]
#[unsafe(link_section = ".init_array")]
static NO_THP_AT_LOAD: extern "C" fn() = {
    extern "C" fn at_load() {
        no_transparent_huge_pages();
    }
    at_load
};

/// Alignment every block `mi_malloc` returns has, whatever its size.
const PLAIN_ALIGN: usize = std::mem::size_of::<usize>();

/// mimalloc as a Rust global allocator: `#[global_allocator] static A: Mimalloc = Mimalloc;`.
pub struct Mimalloc;

// SAFETY: mimalloc is thread-safe; blocks come from `mi_malloc`/`mi_*_aligned` and all go back
// through `mi_free` (which takes any block whatever its alignment). The plain calls are used
// only when the layout's alignment is at most `PLAIN_ALIGN`, which every block satisfies.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: plain FFI calls with a size and a power-of-two alignment from a `Layout`.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                mi::mi_malloc(layout.size()).cast()
            } else {
                mi::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                mi::mi_zalloc(layout.size()).cast()
            } else {
                mi::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: the caller guarantees `ptr` came from this allocator.
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `ptr` came from this allocator with `layout`; the new
        // block keeps the layout's alignment.
        unsafe {
            if layout.align() <= PLAIN_ALIGN {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Option 15 is the purge delay: no other option of this mimalloc defaults to 1000.
    #[test]
    fn the_purge_delay_option_is_the_one_named() {
        // SAFETY: reads an option by its number.
        assert_eq!(unsafe { mi::mi_option_get(PURGE_DELAY) }, 1000);
    }

    /// Sizes every 7 bytes up to a few pages (across many size classes) and two large ones, at
    /// alignments the plain and the aligned calls serve: each block is aligned, writable over
    /// its whole size, keeps its bytes through a reallocation, and comes back zeroed when asked.
    #[test]
    fn blocks_are_aligned_usable_and_keep_their_bytes() {
        let sizes = (1..=4200).step_by(7).chain([1 << 16, (1 << 20) + 3]);
        for size in sizes {
            for align in [1, 2, 4, 8, 16, 64, 4096] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; each block is freed once, with the layout it has.
                unsafe {
                    let block = Mimalloc.alloc(layout);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0, "size {size} align {align}");
                    block.write_bytes(0xa5, size);
                    let grown = Mimalloc.realloc(block, layout, size * 2 + 5);
                    assert_eq!(grown as usize % align, 0, "realloc {size} align {align}");
                    assert!((0..size).all(|i| *grown.add(i) == 0xa5));
                    let grown_layout = Layout::from_size_align(size * 2 + 5, align).unwrap();
                    Mimalloc.dealloc(grown, grown_layout);

                    let zeroed = Mimalloc.alloc_zeroed(layout);
                    assert_eq!(zeroed as usize % align, 0, "zeroed {size} align {align}");
                    assert!((0..size).all(|i| *zeroed.add(i) == 0));
                    Mimalloc.dealloc(zeroed, layout);
                }
            }
        }
    }
}
