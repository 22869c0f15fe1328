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

/// Reads a little-endian `float32` C-order `.npy` file (what [`npy_header`] writes):
/// `(shape, values)`.
///
/// # Errors
/// A file that is not such an array, or whose data length disagrees with its shape.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("a.npy");
/// let mut bytes = pipeline::attribute::npy_header(&[2, 2]);
/// pipeline::attribute::write_f32(&mut bytes, &[1.0, 2.0, 3.0, 4.5]).unwrap();
/// std::fs::write(&p, bytes).unwrap();
/// let (shape, v) = pipeline::attribute::read_npy_f32(&p).unwrap();
/// assert_eq!((shape, v), (vec![2, 2], vec![1.0, 2.0, 3.0, 4.5]));
/// ```
pub fn read_npy_f32(path: &std::path::Path) -> crate::Result<(Vec<usize>, Vec<f32>)> {
    let bad = |msg: &str| crate::Error::Usage(format!("{}: {msg}", path.display()));
    let bytes =
        std::fs::read(path).map_err(crate::error::io_err(format!("reading {}", path.display())))?;
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" || bytes[6] != 1 {
        return Err(bad("not a version-1 .npy file"));
    }
    let hlen = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let header = bytes
        .get(10..10 + hlen)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| bad("truncated .npy header"))?;
    if !header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False") {
        return Err(bad("only little-endian float32 C-order arrays are read"));
    }
    let shape_txt = header
        .split("'shape': (")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .ok_or_else(|| bad("no shape in the .npy header"))?;
    let shape: Vec<usize> = shape_txt
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| bad("bad shape in the .npy header")))
        .collect::<crate::Result<_>>()?;
    let n = shape
        .iter()
        .try_fold(1usize, |a, &d| a.checked_mul(d))
        .ok_or_else(|| bad("shape overflows"))?;
    let data = &bytes[10 + hlen..];
    if n.checked_mul(4) != Some(data.len()) {
        return Err(bad(&format!(
            "{} data bytes, the shape {shape:?} needs {}",
            data.len(),
            n.saturating_mul(4)
        )));
    }
    let values = data
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Ok((shape, values))
}
