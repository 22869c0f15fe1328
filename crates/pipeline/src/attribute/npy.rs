//! NumPy `.npy` (format 1.0, little-endian `float32`, C order), written as a stream.

use std::io::Write;

/// The `.npy` header of a little-endian `float32` C-order array of `shape`.
///
/// ```
/// let h = pipeline::attribute::npy_header(&[2, 3]);
/// assert_eq!(&h[..6], b"\x93NUMPY");
/// assert_eq!(h.len() % 64, 0);
/// assert!(String::from_utf8_lossy(&h).contains("'shape': (2, 3), "));
/// ```
pub fn npy_header(shape: &[usize]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    let shape = match dims.len() {
        1 => format!("({},)", dims[0]),
        _ => format!("({})", dims.join(", ")),
    };
    let mut dict = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}");
    // magic (6) + version (2) + header length (2) + dict + '\n' is a multiple of 64
    while (10 + dict.len() + 1) % 64 != 0 {
        dict.push(' ');
    }
    dict.push('\n');
    let mut h = b"\x93NUMPY\x01\x00".to_vec();
    h.extend_from_slice(&(dict.len() as u16).to_le_bytes());
    h.extend_from_slice(dict.as_bytes());
    h
}

/// Writes `values` as little-endian `float32`.
///
/// # Errors
/// The writer's.
pub fn write_f32(w: &mut dyn Write, values: &[f32]) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(values.len() * 4);
    for v in values {
        buf.extend_from_slice(&v.to_le_bytes());
    }
    w.write_all(&buf)
}
