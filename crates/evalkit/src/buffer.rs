//! Zeroed scratch buffers for 10^7-element passes, backed by transparent huge pages where the
//! kernel offers them.
//!
//! The ranking and sorting passes scatter 8-byte elements into hundreds of write streams
//! across buffers of 80–200 MB. With 4 KiB pages every stream misses the TLB, and each call
//! faults in about 50,000 pages; with 2 MiB pages the buffers take about 100 TLB entries and
//! 100 faults. A large buffer is therefore an anonymous mapping advised `MADV_HUGEPAGE`
//! (Linux; the advice is a no-op where transparent huge pages are off). Everything else, and
//! any mapping that fails, is a plain `Vec`. See `docs/decisions/0009-huge-page-buffers.md`.

use std::ops::{Deref, DerefMut};

/// Buffers of at least this many bytes are mapped (four huge pages). Unit tests map every
/// buffer of a page or more, so the ranking and sorting tests compare mapped buffers' results
/// with the textbook methods.
const MAP_BYTES: usize = if cfg!(test) { 4096 } else { 8 << 20 };

/// `len` zeroed values of a plain-data type, mapped with huge pages when large.
pub(crate) struct Zeroed<T: bytemuck::Pod> {
    store: Store<T>,
    len: usize,
}

enum Store<T> {
    Heap(Vec<T>),
    #[cfg(target_os = "linux")]
    Mapped(memmap2::MmapMut),
}

impl<T: bytemuck::Pod> Zeroed<T> {
    /// `len` zeros.
    pub(crate) fn new(len: usize) -> Zeroed<T> {
        let store = Self::mapped(len).unwrap_or_else(|| Store::Heap(vec![T::zeroed(); len]));
        Zeroed { store, len }
    }

    #[cfg(target_os = "linux")]
    fn mapped(len: usize) -> Option<Store<T>> {
        let bytes = len.checked_mul(size_of::<T>())?;
        // A mapping is page-aligned, which is enough for any `Pod` type up to 4 KiB.
        if bytes < MAP_BYTES || align_of::<T>() > 4096 {
            return None;
        }
        let map = memmap2::MmapMut::map_anon(bytes).ok()?;
        // Advice only: the buffer works (with small pages) if the kernel declines.
        let _ = map.advise(memmap2::Advice::HugePage);
        Some(Store::Mapped(map))
    }

    #[cfg(not(target_os = "linux"))]
    fn mapped(_len: usize) -> Option<Store<T>> {
        None
    }

    /// Shortens the buffer to `len` values (no-op when it is not longer).
    pub(crate) fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }
}

impl<T: bytemuck::Pod> Deref for Zeroed<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match &self.store {
            Store::Heap(v) => &v[..self.len],
            #[cfg(target_os = "linux")]
            Store::Mapped(m) => &bytemuck::cast_slice(&m[..])[..self.len],
        }
    }
}

impl<T: bytemuck::Pod> DerefMut for Zeroed<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.store {
            Store::Heap(v) => &mut v[..self.len],
            #[cfg(target_os = "linux")]
            Store::Mapped(m) => &mut bytemuck::cast_slice_mut(&mut m[..])[..self.len],
        }
    }
}

impl<T: bytemuck::Pod> Default for Zeroed<T> {
    fn default() -> Zeroed<T> {
        Zeroed::new(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_mapped_buffers_are_zeroed_writable_and_truncated() {
        for len in [
            0usize,
            3,
            MAP_BYTES / 8 - 1,
            MAP_BYTES / 8,
            3 * MAP_BYTES / 8 + 5,
        ] {
            let mut b = Zeroed::<u64>::new(len);
            assert_eq!(b.len(), len);
            let heap = matches!(b.store, Store::Heap(_));
            assert_eq!(heap, len * 8 < MAP_BYTES || cfg!(not(target_os = "linux")));
            assert!(b.iter().all(|&v| v == 0), "len {len}");
            b.iter_mut().enumerate().for_each(|(i, v)| *v = i as u64);
            assert!(b.iter().enumerate().all(|(i, &v)| v == i as u64));
            b.truncate(len / 2);
            assert_eq!(b.len(), len / 2);
            b.truncate(len);
            assert_eq!(b.len(), len / 2);
        }
        let f = Zeroed::<f64>::new(MAP_BYTES);
        assert!(f.iter().all(|&v| v == 0.0));
    }
}
