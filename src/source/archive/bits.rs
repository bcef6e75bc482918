//! The bit stream of deflate (RFC 1951 3.1.1): values are packed from the
//! least significant bit of each byte up.

/// Collects bits into bytes, least significant bit first.
pub(super) struct BitWriter {
    bytes: Vec<u8>,
    acc: u64,
    nbits: u32,
}

impl BitWriter {
    pub(super) fn new() -> Self {
        BitWriter {
            bytes: Vec::new(),
            acc: 0,
            nbits: 0,
        }
    }

    /// Appends the low `len` bits of `value`.
    pub(super) fn send(&mut self, value: u32, len: u32) {
        self.acc |= u64::from(value & ((1u32 << len) - 1)) << self.nbits;
        self.nbits += len;
        while self.nbits >= 8 {
            self.bytes.push(self.acc as u8);
            self.acc >>= 8;
            self.nbits -= 8;
        }
    }

    /// Pads with zero bits to the next byte boundary.
    pub(super) fn align(&mut self) {
        if self.nbits > 0 {
            self.bytes.push(self.acc as u8);
        }
        self.acc = 0;
        self.nbits = 0;
    }

    /// Appends whole bytes; the stream must be aligned.
    pub(super) fn bytes(&mut self, bytes: &[u8]) {
        debug_assert_eq!(self.nbits, 0);
        self.bytes.extend_from_slice(bytes);
    }

    /// Takes the complete bytes written so far.
    pub(super) fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }
}
