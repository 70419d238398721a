//! The client wasm's allocator: blocks in power-of-two size classes (16 bytes up), each class
//! with its own free list, carved from memory grown page by page. It replaces std's dlmalloc,
//! about 8 KiB of code (3.5 KiB gzip), for some 400 bytes.
//!
//! Why it cannot leak or grow without end under a steady load: a freed block goes back to its
//! class's list and the next request of that class takes it, so memory is bounded by the most
//! blocks of each class ever live at once (`make bench` and tests/e2e/reliability.test.mjs check
//! that 100,000 calls leave the memory flat). What it gives up: freed blocks are never merged or
//! split, and a request is rounded up to a power of two (at most twice its size). The module
//! has one thread, so the state needs no lock.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32::memory_grow;
use core::cell::UnsafeCell;
use core::ptr::{self, null_mut};

const PAGE: usize = 65_536;
/// The smallest block, 16 bytes: room for the free list's link, and every block so aligned.
const MIN_SHIFT: u32 = 4;
/// Classes of 16 bytes to 1 GiB (2^30): a larger request fails, as it would have anyway in a
/// 32-bit memory that already holds the module.
const CLASSES: usize = 27;

struct State {
    /// The first free byte of the region being carved, and its end.
    next: usize,
    end: usize,
    /// Each class's free blocks, linked through their first word (0 ends a list).
    free: [usize; CLASSES],
}

pub struct Classes(UnsafeCell<State>);

// wasm32 without threads: one thread ever touches the state.
unsafe impl Sync for Classes {}

#[global_allocator]
static ALLOCATOR: Classes = Classes(UnsafeCell::new(State { next: 0, end: 0, free: [0; CLASSES] }));

/// The class of a request: the power of two it is rounded up to, counted from 16 bytes.
fn class(layout: &Layout) -> usize {
    let size = layout.size().max(layout.align()).max(1 << MIN_SHIFT);
    (usize::BITS - (size - 1).leading_zeros() - MIN_SHIFT) as usize
}

unsafe impl GlobalAlloc for Classes {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let st = &mut *self.0.get();
        let c = class(&layout);
        if c >= CLASSES {
            return null_mut();
        }
        // A freed block is 16-aligned; a request for more alignment (none in this crate) is
        // carved anew rather than risk a block that lacks it.
        let align = layout.align().max(1 << MIN_SHIFT);
        let head = st.free[c];
        if head != 0 && align == 1 << MIN_SHIFT {
            st.free[c] = *(head as *const usize);
            return head as *mut u8;
        }
        let block = 1usize << (c as u32 + MIN_SHIFT);
        let mut start = (st.next + align - 1) & !(align - 1);
        if start.checked_add(block).is_none_or(|end| end > st.end) {
            // Grow by whole pages; the new pages follow the region's end unless this is the
            // first growth (or something else grew the memory), then carving starts afresh.
            let pages = (block + align).div_ceil(PAGE);
            let before = memory_grow(0, pages);
            if before == usize::MAX {
                return null_mut();
            }
            if before * PAGE != st.end {
                st.next = before * PAGE;
            }
            st.end = (before + pages) * PAGE;
            start = (st.next + align - 1) & !(align - 1);
        }
        st.next = start + block;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let st = &mut *self.0.get();
        let c = class(&layout);
        *(ptr as *mut usize) = st.free[c];
        st.free[c] = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, layout.align());
        // Within its class a block already has the room: a growing string or vector moves only
        // when it crosses a power of two.
        if class(&new) == class(&layout) {
            return ptr;
        }
        let moved = self.alloc(new);
        if !moved.is_null() {
            ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        moved
    }
}
