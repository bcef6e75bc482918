//! Deflate blocks (RFC 1951): Huffman trees built from symbol counts, and the
//! choice between a stored, a fixed-code and a dynamic-code block.
//!
//! The trees must come out exactly as GNU gzip builds them, or the archive's
//! bytes (and so its sha256) differ. The method is the classic one zlib
//! documents: a heap ordered by frequency and then subtree depth, lengths
//! capped at 15 (7 for the code-length code) by moving leaves down, canonical
//! codes from the length counts, and run-length coded length tables.

use super::bits::BitWriter;

/// Literal/length symbols: 256 literals, end of block, 29 length codes.
pub(super) const L_CODES: usize = 286;
const D_CODES: usize = 30;
const BL_CODES: usize = 19;
const END_BLOCK: usize = 256;
const MAX_BITS: usize = 15;
const MAX_BL_BITS: usize = 7;
const HEAP_SIZE: usize = 2 * L_CODES + 1;
const REP_3_6: usize = 16;
const REPZ_3_10: usize = 17;
const REPZ_11_138: usize = 18;

const EXTRA_LBITS: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
pub(super) const EXTRA_DBITS: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
const EXTRA_BLBITS: [u8; BL_CODES] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
const BL_ORDER: [usize; BL_CODES] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// The length code (0..29) of a match length minus 3, and the code's base.
fn length_code(lc: u16) -> (usize, u16) {
    if lc == 255 {
        return (28, 255);
    }
    let mut base = 0u16;
    for (code, extra) in EXTRA_LBITS.iter().enumerate().take(28) {
        let span = 1u16 << extra;
        if lc < base + span {
            return (code, base);
        }
        base += span;
    }
    (28, 255)
}

/// The distance code (0..30) of a distance minus 1, and the code's base.
pub(super) fn dist_code(dist: u16) -> (usize, u16) {
    let mut base = 0u32;
    for (code, extra) in EXTRA_DBITS.iter().enumerate() {
        let span = 1u32 << extra;
        if u32::from(dist) < base + span {
            return (code, base as u16);
        }
        base += span;
    }
    (D_CODES - 1, base as u16)
}

/// One symbol of a block: a literal byte, or a match (length - 3, distance - 1).
#[derive(Clone, Copy)]
pub(super) enum Symbol {
    Literal(u8),
    Match { lc: u8, dist: u16 },
}

/// A code table: per symbol its bit length and its (bit-reversed) code.
#[derive(Clone)]
struct Codes {
    len: Vec<u16>,
    code: Vec<u16>,
}

/// The symbols of the block being collected, with their counts.
pub(super) struct Block {
    pub(super) symbols: Vec<Symbol>,
    pub(super) matches: usize,
    lfreq: [u32; L_CODES],
    pub(super) dfreq: [u32; D_CODES],
}

impl Block {
    pub(super) fn new() -> Self {
        let mut block = Block {
            symbols: Vec::with_capacity(0x8000),
            matches: 0,
            lfreq: [0; L_CODES],
            dfreq: [0; D_CODES],
        };
        block.lfreq[END_BLOCK] = 1;
        block
    }

    pub(super) fn push(&mut self, symbol: Symbol) {
        match symbol {
            Symbol::Literal(byte) => self.lfreq[usize::from(byte)] += 1,
            Symbol::Match { lc, dist } => {
                self.lfreq[length_code(u16::from(lc)).0 + END_BLOCK + 1] += 1;
                self.dfreq[dist_code(dist).0] += 1;
                self.matches += 1;
            }
        }
        self.symbols.push(symbol);
    }
}

/// The fixed codes of RFC 1951 3.2.6.
fn static_codes() -> (Codes, Codes) {
    let mut len = vec![0u16; L_CODES + 2];
    for (n, l) in len.iter_mut().enumerate() {
        *l = match n {
            0..=143 => 8,
            144..=255 => 9,
            256..=279 => 7,
            _ => 8,
        };
    }
    let mut count = [0u16; MAX_BITS + 1];
    for l in &len {
        count[usize::from(*l)] += 1;
    }
    let code = canonical_codes(&len, &count);
    let dlen = vec![5u16; D_CODES];
    let dcode = (0..D_CODES as u16).map(|n| reverse(n, 5)).collect();
    (
        Codes { len, code },
        Codes {
            len: dlen,
            code: dcode,
        },
    )
}

fn reverse(code: u16, len: u16) -> u16 {
    code.reverse_bits() >> (16 - len)
}

/// Canonical codes (RFC 1951 3.2.2) from the lengths and the count per length.
fn canonical_codes(len: &[u16], count: &[u16; MAX_BITS + 1]) -> Vec<u16> {
    let mut next = [0u16; MAX_BITS + 1];
    let mut code = 0u16;
    for bits in 1..=MAX_BITS {
        code = (code.wrapping_add(count[bits - 1])) << 1;
        next[bits] = code;
    }
    len.iter()
        .map(|&l| {
            if l == 0 {
                return 0;
            }
            let c = next[usize::from(l)];
            next[usize::from(l)] += 1;
            reverse(c, l)
        })
        .collect()
}

/// What building one tree yields: its codes, the highest used symbol, and the
/// bits its symbols cost with these codes and with the fixed ones.
struct Tree {
    codes: Codes,
    max_code: usize,
    opt_bits: i64,
    static_bits: i64,
}

/// Builds the length-limited Huffman tree of `freq` (`extra` bits per symbol
/// from `extra_base` on; `fixed` gives the fixed code lengths, if any).
fn build_tree(
    freq: &[u32],
    fixed: Option<&[u16]>,
    extra: &[u8],
    extra_base: usize,
    max_length: usize,
) -> Tree {
    let elems = freq.len();
    let (heap, max_code, forced) = Heap::with_leaves(freq);
    // Counts as the tree sees them: a forced code counts once.
    let leaf_freq = heap.freq[..elems].to_vec();
    let (order, dad) = heap.combine(elems);
    let len = bit_lengths(&order, &dad, max_code, max_length, elems)[..elems].to_vec();
    let mut count = [0u16; MAX_BITS + 1];
    for l in len.iter().filter(|l| **l != 0) {
        count[usize::from(*l)] += 1;
    }
    // The forced codes are not in the block: their bits are taken back.
    let mut opt_bits = -(forced.len() as i64);
    let mut static_bits = 0i64;
    if let Some(fixed) = fixed {
        static_bits -= forced.iter().map(|&n| i64::from(fixed[n])).sum::<i64>();
    }
    for n in 0..=max_code {
        let xbits = n.checked_sub(extra_base).map_or(0, |i| i64::from(extra[i]));
        let fr = i64::from(leaf_freq[n]);
        opt_bits += fr * (i64::from(len[n]) + xbits);
        if let Some(fixed) = fixed {
            static_bits += fr * (i64::from(fixed[n]) + xbits);
        }
    }
    let code = canonical_codes(&len, &count);
    Tree {
        codes: Codes { len, code },
        max_code,
        opt_bits,
        static_bits,
    }
}

/// The priority queue of tree building: smallest frequency first, and among
/// equal frequencies the shallower subtree first.
struct Heap {
    heap: Vec<usize>,
    len: usize,
    freq: Vec<u32>,
    depth: Vec<u8>,
}

impl Heap {
    /// A heap of the symbols that occur, plus forced ones until there are
    /// two; returns it, the highest symbol in it, and the forced symbols.
    fn with_leaves(freq: &[u32]) -> (Heap, usize, Vec<usize>) {
        let elems = freq.len();
        let mut heap = Heap {
            heap: vec![0usize; HEAP_SIZE],
            len: 0,
            freq: vec![0u32; 2 * elems + 1],
            depth: vec![0u8; 2 * elems + 1],
        };
        heap.freq[..elems].copy_from_slice(freq);
        let mut max_code: isize = -1;
        for (n, _) in freq.iter().enumerate().filter(|(_, f)| **f != 0) {
            heap.len += 1;
            heap.heap[heap.len] = n;
            max_code = n as isize;
        }
        // At least two codes, so every tree has one bit to send.
        let mut forced = Vec::new();
        while heap.len < 2 {
            let node = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            heap.len += 1;
            heap.heap[heap.len] = node;
            heap.freq[node] = 1;
            forced.push(node);
        }
        for k in (1..=heap.len / 2).rev() {
            heap.down(k);
        }
        (heap, max_code as usize, forced)
    }

    fn smaller(&self, n: usize, m: usize) -> bool {
        self.freq[n] < self.freq[m]
            || (self.freq[n] == self.freq[m] && self.depth[n] <= self.depth[m])
    }

    fn down(&mut self, mut k: usize) {
        let v = self.heap[k];
        let mut j = k << 1;
        while j <= self.len {
            if j < self.len && self.smaller(self.heap[j + 1], self.heap[j]) {
                j += 1;
            }
            if self.smaller(v, self.heap[j]) {
                break;
            }
            self.heap[k] = self.heap[j];
            k = j;
            j <<= 1;
        }
        self.heap[k] = v;
    }

    /// Joins the two least frequent nodes until one is left. Returns the
    /// nodes in the order they left the heap (root first once reversed by
    /// the caller's walk) and each node's parent.
    fn combine(mut self, elems: usize) -> (Vec<usize>, Vec<usize>) {
        let mut dad = vec![0usize; 2 * elems + 1];
        let mut out = vec![0usize; HEAP_SIZE];
        let mut heap_max = HEAP_SIZE;
        let mut node = elems;
        loop {
            let n = self.heap[1];
            self.heap[1] = self.heap[self.len];
            self.len -= 1;
            self.down(1);
            let m = self.heap[1];
            heap_max -= 1;
            out[heap_max] = n;
            heap_max -= 1;
            out[heap_max] = m;
            self.freq[node] = self.freq[n] + self.freq[m];
            self.depth[node] = self.depth[n].max(self.depth[m]) + 1;
            dad[n] = node;
            dad[m] = node;
            self.heap[1] = node;
            node += 1;
            self.down(1);
            if self.len < 2 {
                break;
            }
        }
        heap_max -= 1;
        out[heap_max] = self.heap[1];
        (out[heap_max..].to_vec(), dad)
    }
}

/// Code lengths from the tree, limited to `max_length` the way zlib does it:
/// overflowing leaves are cut to the limit and the counts repaired, then the
/// lengths are handed out again from the longest down, in heap order.
fn bit_lengths(
    order: &[usize],
    dad: &[usize],
    max_code: usize,
    max_length: usize,
    elems: usize,
) -> Vec<u16> {
    let mut len = vec![0u16; 2 * elems + 1];
    let mut count = [0i32; MAX_BITS + 1];
    let mut overflow = 0i32;
    for &n in &order[1..] {
        let mut bits = usize::from(len[dad[n]]) + 1;
        if bits > max_length {
            bits = max_length;
            overflow += 1;
        }
        len[n] = bits as u16;
        if n <= max_code {
            count[bits] += 1;
        }
    }
    if overflow == 0 {
        return len;
    }
    while overflow > 0 {
        let mut bits = max_length - 1;
        while count[bits] == 0 {
            bits -= 1;
        }
        count[bits] -= 1;
        count[bits + 1] += 2;
        count[max_length] -= 1;
        overflow -= 2;
    }
    let mut h = order.len();
    for bits in (1..=max_length).rev() {
        let mut n = count[bits];
        while n != 0 {
            h -= 1;
            let m = order[h];
            if m > max_code {
                continue;
            }
            len[m] = bits as u16;
            n -= 1;
        }
    }
    len
}

/// Counts the runs of code lengths (RFC 1951 3.2.7) into `bl_freq`, or sends them.
fn scan_lengths(lens: &[u16], max_code: usize, mut emit: impl FnMut(usize, u8, u8)) {
    let mut prevlen: i32 = -1;
    let mut nextlen = i32::from(lens[0]);
    let mut count = 0;
    let (mut max_count, mut min_count) = if nextlen == 0 { (138, 3) } else { (7, 4) };
    for n in 0..=max_code {
        let curlen = nextlen;
        nextlen = if n < max_code {
            i32::from(lens[n + 1])
        } else {
            0xffff
        };
        count += 1;
        if count < max_count && curlen == nextlen {
            continue;
        } else if count < min_count {
            for _ in 0..count {
                emit(curlen as usize, 0, 0);
            }
        } else if curlen != 0 {
            if curlen != prevlen {
                emit(curlen as usize, 0, 0);
                count -= 1;
            }
            emit(REP_3_6, (count - 3) as u8, 2);
        } else if count <= 10 {
            emit(REPZ_3_10, (count - 3) as u8, 3);
        } else {
            emit(REPZ_11_138, (count - 11) as u8, 7);
        }
        count = 0;
        prevlen = curlen;
        (max_count, min_count) = if nextlen == 0 {
            (138, 3)
        } else if curlen == nextlen {
            (6, 3)
        } else {
            (7, 4)
        };
    }
}

/// Writes `block` as one deflate block. `stored` is the block's input bytes
/// when they are still at hand (a stored block is possible only then).
pub(super) fn flush_block(out: &mut BitWriter, block: &Block, stored: Option<&[u8]>, last: bool) {
    let (fixed_l, fixed_d) = static_codes();
    let ltree = build_tree(
        &block.lfreq,
        Some(&fixed_l.len),
        &EXTRA_LBITS,
        END_BLOCK + 1,
        MAX_BITS,
    );
    let dtree = build_tree(&block.dfreq, Some(&fixed_d.len), &EXTRA_DBITS, 0, MAX_BITS);
    let mut bl_freq = [0u32; BL_CODES];
    for tree in [&ltree, &dtree] {
        scan_lengths(&tree.codes.len, tree.max_code, |sym, _, _| {
            bl_freq[sym] += 1
        });
    }
    let bltree = build_tree(&bl_freq, None, &EXTRA_BLBITS, 0, MAX_BL_BITS);
    let mut max_blindex = BL_CODES - 1;
    while max_blindex >= 3 && bltree.codes.len[BL_ORDER[max_blindex]] == 0 {
        max_blindex -= 1;
    }
    let opt_bits =
        ltree.opt_bits + dtree.opt_bits + bltree.opt_bits + 3 * (max_blindex as i64 + 1) + 14;
    let static_bits = ltree.static_bits + dtree.static_bits;
    let mut opt_lenb = (opt_bits + 3 + 7) >> 3;
    let static_lenb = (static_bits + 3 + 7) >> 3;
    if static_lenb <= opt_lenb {
        opt_lenb = static_lenb;
    }
    let last_bit = u32::from(last);
    match stored {
        Some(bytes) if bytes.len() as i64 + 4 <= opt_lenb => {
            out.send(last_bit, 3);
            out.align();
            let n = bytes.len() as u16;
            out.bytes(&n.to_le_bytes());
            out.bytes(&(!n).to_le_bytes());
            out.bytes(bytes);
        }
        _ if static_lenb == opt_lenb => {
            out.send(2 | last_bit, 3);
            compress(out, block, &fixed_l, &fixed_d);
        }
        _ => {
            out.send(4 | last_bit, 3);
            send_trees(out, &ltree, &dtree, &bltree.codes, max_blindex + 1);
            compress(out, block, &ltree.codes, &dtree.codes);
        }
    }
    if last {
        out.align();
    }
}

fn send_trees(out: &mut BitWriter, l: &Tree, d: &Tree, bl: &Codes, blcodes: usize) {
    out.send((l.max_code + 1 - 257) as u32, 5);
    out.send(d.max_code as u32, 5);
    out.send((blcodes - 4) as u32, 4);
    for &sym in BL_ORDER.iter().take(blcodes) {
        out.send(u32::from(bl.len[sym]), 3);
    }
    for tree in [l, d] {
        scan_lengths(&tree.codes.len, tree.max_code, |sym, extra, nbits| {
            out.send(u32::from(bl.code[sym]), u32::from(bl.len[sym]));
            if nbits > 0 {
                out.send(u32::from(extra), u32::from(nbits));
            }
        });
    }
}

fn compress(out: &mut BitWriter, block: &Block, l: &Codes, d: &Codes) {
    let send = |out: &mut BitWriter, codes: &Codes, sym: usize| {
        out.send(u32::from(codes.code[sym]), u32::from(codes.len[sym]));
    };
    for symbol in &block.symbols {
        match *symbol {
            Symbol::Literal(byte) => send(out, l, usize::from(byte)),
            Symbol::Match { lc, dist } => {
                let (code, base) = length_code(u16::from(lc));
                send(out, l, code + END_BLOCK + 1);
                let extra = EXTRA_LBITS[code];
                if extra != 0 {
                    out.send(u32::from(u16::from(lc) - base), u32::from(extra));
                }
                let (dcode, dbase) = dist_code(dist);
                send(out, d, dcode);
                let extra = EXTRA_DBITS[dcode];
                if extra != 0 {
                    out.send(u32::from(dist - dbase), u32::from(extra));
                }
            }
        }
    }
    send(out, l, END_BLOCK);
}
