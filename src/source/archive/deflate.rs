//! `gzip -n -6` in process: the exact bytes GNU gzip writes, so a tag
//! archive's sha256 can be checked without running `git` or `gzip`.
//!
//! zlib, miniz and zlib-rs produce valid but different deflate streams; what
//! GitHub hashes is GNU gzip's. This encoder is written from RFC 1951/1952
//! and zlib's description of its algorithm (hash chains over a 64 KiB
//! sliding window, lazy matching), with the choices gzip makes at level 6:
//! chains of 128 (32 once a match of 8 is in hand), lazy matching up to 16,
//! stop at 128, distant (> 4096) 3-byte matches dropped, blocks of at most
//! 32767 symbols, and a block cut early every 4096 symbols when the block
//! compresses well. Bytes past the end of the input are what the window held
//! before (but for two cleared bytes), as in gzip, because a match may look
//! at them.

use std::io::{self, Read, Write};

use super::bits::BitWriter;
use super::huffman::{flush_block, Block, Symbol, EXTRA_DBITS};

const WSIZE: usize = 0x8000;
const WMASK: usize = WSIZE - 1;
const WINDOW_SIZE: usize = 2 * WSIZE;
const HASH_BITS: u32 = 15;
const HASH_SIZE: usize = 1 << HASH_BITS;
const HASH_MASK: usize = HASH_SIZE - 1;
const H_SHIFT: u32 = HASH_BITS.div_ceil(3);
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
const MIN_LOOKAHEAD: usize = MAX_MATCH + MIN_MATCH + 1;
const MAX_DIST: usize = WSIZE - MIN_LOOKAHEAD;
const TOO_FAR: usize = 4096;
const LIT_BUFSIZE: usize = 0x8000;
/// Level 6: good match, lazy limit, nice match, chain length.
const GOOD_LENGTH: usize = 8;
const MAX_LAZY: usize = 16;
const NICE_LENGTH: usize = 128;
const MAX_CHAIN: usize = 128;
const NIL: usize = 0;

/// gzip's member header with `-n`: no name, no time, no extra flags, OS Unix.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];

/// Compresses everything `input` yields into `out` as `gzip -cn` (level 6) would.
pub fn gzip<R: Read, W: Write>(input: R, mut out: W) -> io::Result<()> {
    out.write_all(&HEADER)?;
    let mut state = Deflater::new(input, out);
    state.run()?;
    let Deflater {
        mut out, crc, size, ..
    } = state;
    out.write_all(&crc.finalize().to_le_bytes())?;
    out.write_all(&(size as u32).to_le_bytes())?;
    out.flush()
}

struct Deflater<R, W> {
    input: R,
    out: W,
    bits: BitWriter,
    crc: crc32::Crc,
    size: u64,
    /// The sliding window, with slack past its end for reads gzip makes there.
    window: Vec<u8>,
    head: Vec<u16>,
    prev: Vec<u16>,
    ins_h: usize,
    strstart: usize,
    lookahead: usize,
    block_start: isize,
    match_start: usize,
    prev_length: usize,
    eof: bool,
    block: Block,
}

impl<R: Read, W: Write> Deflater<R, W> {
    fn new(input: R, out: W) -> Self {
        Deflater {
            input,
            out,
            bits: BitWriter::new(),
            crc: crc32::Crc::new(),
            size: 0,
            window: vec![0; WINDOW_SIZE + MAX_MATCH + MIN_MATCH],
            head: vec![0; HASH_SIZE],
            prev: vec![0; WSIZE],
            ins_h: 0,
            strstart: 0,
            lookahead: 0,
            block_start: 0,
            match_start: 0,
            prev_length: MIN_MATCH - 1,
            eof: false,
            block: Block::new(),
        }
    }

    /// Reads until `buf` is full or the input ends, like a read from a file.
    fn read_into(&mut self, from: usize, len: usize) -> io::Result<usize> {
        let mut done = 0;
        while done < len {
            let buf = &mut self.window[from + done..from + len];
            match self.input.read(buf) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.crc.update(&self.window[from..from + done]);
        self.size += done as u64;
        Ok(done)
    }

    fn update_hash(h: usize, c: u8) -> usize {
        ((h << H_SHIFT) ^ usize::from(c)) & HASH_MASK
    }

    /// Enters the string at `pos` in its hash chain; returns the chain's old head.
    fn insert_string(&mut self, pos: usize) -> usize {
        self.ins_h = Self::update_hash(self.ins_h, self.window[pos + MIN_MATCH - 1]);
        let head = usize::from(self.head[self.ins_h]);
        self.prev[pos & WMASK] = head as u16;
        self.head[self.ins_h] = pos as u16;
        head
    }

    /// Slides the window down by 32 KiB when the lookahead runs short, and reads more.
    fn fill_window(&mut self) -> io::Result<()> {
        let mut more = WINDOW_SIZE - self.lookahead - self.strstart;
        if self.strstart >= WSIZE + MAX_DIST {
            self.window.copy_within(WSIZE..WINDOW_SIZE, 0);
            self.match_start = self.match_start.wrapping_sub(WSIZE);
            self.strstart -= WSIZE;
            self.block_start -= WSIZE as isize;
            for p in self.head.iter_mut().chain(self.prev.iter_mut()) {
                *p = if usize::from(*p) >= WSIZE {
                    *p - WSIZE as u16
                } else {
                    NIL as u16
                };
            }
            more += WSIZE;
        }
        if !self.eof {
            let n = self.read_into(self.strstart + self.lookahead, more)?;
            if n == 0 {
                self.eof = true;
                // gzip clears the two bytes after the input's end (the
                // rest of the window keeps its old bytes).
                let end = self.strstart + self.lookahead;
                self.window[end..end + MIN_MATCH - 1].fill(0);
            } else {
                self.lookahead += n;
            }
        }
        Ok(())
    }

    fn start(&mut self) -> io::Result<()> {
        self.lookahead = self.read_into(0, WINDOW_SIZE)?;
        if self.lookahead == 0 {
            self.eof = true;
            return Ok(());
        }
        while self.lookahead < MIN_LOOKAHEAD && !self.eof {
            self.fill_window()?;
        }
        self.ins_h = 0;
        for j in 0..MIN_MATCH - 1 {
            self.ins_h = Self::update_hash(self.ins_h, self.window[j]);
        }
        Ok(())
    }

    /// The longest match at `strstart` along the chain from `cur_match` that
    /// beats `prev_length`; sets `match_start`.
    fn longest_match(&mut self, mut cur_match: usize) -> usize {
        let mut chain = MAX_CHAIN;
        let scan = self.strstart;
        let mut best_len = self.prev_length;
        let limit = if self.strstart > MAX_DIST {
            self.strstart - MAX_DIST
        } else {
            NIL
        };
        if self.prev_length >= GOOD_LENGTH {
            chain >>= 2;
        }
        let w = &self.window;
        loop {
            let m = cur_match;
            if w[m + best_len] == w[scan + best_len]
                && w[m + best_len - 1] == w[scan + best_len - 1]
                && w[m] == w[scan]
                && w[m + 1] == w[scan + 1]
            {
                // The third byte is equal by the hash; gzip does not compare it.
                let len = (3..MAX_MATCH)
                    .find(|&i| w[scan + i] != w[m + i])
                    .unwrap_or(MAX_MATCH);
                if len > best_len {
                    self.match_start = cur_match;
                    best_len = len;
                    if len >= NICE_LENGTH {
                        break;
                    }
                }
            }
            cur_match = usize::from(self.prev[cur_match & WMASK]);
            chain -= 1;
            if cur_match <= limit || chain == 0 {
                break;
            }
        }
        best_len
    }

    /// Records a symbol; true when the block should end here.
    fn tally(&mut self, symbol: Symbol) -> bool {
        self.block.push(symbol);
        let last_lit = self.block.symbols.len();
        let last_dist = self.block.matches;
        if last_lit & 0xfff == 0 {
            let mut out_length = last_lit as u64 * 8;
            for (code, &freq) in self.block.dfreq.iter().enumerate() {
                out_length += u64::from(freq) * (5 + u64::from(EXTRA_DBITS[code]));
            }
            out_length >>= 3;
            let in_length = (self.strstart as isize - self.block_start) as u64;
            if last_dist < last_lit / 2 && out_length < in_length / 2 {
                return true;
            }
        }
        last_lit == LIT_BUFSIZE - 1 || last_dist == LIT_BUFSIZE
    }

    fn flush(&mut self, last: bool) -> io::Result<()> {
        let block = std::mem::replace(&mut self.block, Block::new());
        let stored = (self.block_start >= 0).then(|| {
            let start = self.block_start as usize;
            &self.window[start..self.strstart]
        });
        flush_block(&mut self.bits, &block, stored, last);
        self.block_start = self.strstart as isize;
        self.out.write_all(&self.bits.take())
    }

    /// gzip's lazy matching (`deflate()` at levels 4–9): a match found at one
    /// position is taken only if the next position has no longer one.
    fn run(&mut self) -> io::Result<()> {
        self.start()?;
        let mut match_available = false;
        let mut match_length = MIN_MATCH - 1;
        while self.lookahead != 0 {
            let hash_head = self.insert_string(self.strstart);
            self.prev_length = match_length;
            let prev_match = self.match_start;
            match_length = self.match_at(hash_head);
            if self.prev_length >= MIN_MATCH && match_length <= self.prev_length {
                self.take_previous_match(prev_match)?;
                match_available = false;
                match_length = MIN_MATCH - 1;
            } else if match_available {
                let byte = self.window[self.strstart - 1];
                if self.tally(Symbol::Literal(byte)) {
                    self.flush(false)?;
                }
                self.strstart += 1;
                self.lookahead -= 1;
            } else {
                match_available = true;
                self.strstart += 1;
                self.lookahead -= 1;
            }
            while self.lookahead < MIN_LOOKAHEAD && !self.eof {
                self.fill_window()?;
            }
        }
        if match_available {
            let byte = self.window[self.strstart - 1];
            self.tally(Symbol::Literal(byte));
        }
        self.flush(true)
    }

    /// The length of the match at `strstart` worth considering (`MIN_MATCH - 1`: none).
    fn match_at(&mut self, hash_head: usize) -> usize {
        let mut match_length = MIN_MATCH - 1;
        if hash_head != NIL
            && self.prev_length < MAX_LAZY
            && self.strstart - hash_head <= MAX_DIST
            && self.strstart <= WINDOW_SIZE - MIN_LOOKAHEAD
        {
            match_length = self.longest_match(hash_head).min(self.lookahead);
            if match_length == MIN_MATCH && self.strstart.wrapping_sub(self.match_start) > TOO_FAR {
                match_length -= 1;
            }
        }
        match_length
    }

    /// Emit the match found at the previous position (at `prev_match`) and
    /// move past it, hashing the strings it covers.
    fn take_previous_match(&mut self, prev_match: usize) -> io::Result<()> {
        let dist = self.strstart - 1 - prev_match;
        let lc = (self.prev_length - MIN_MATCH) as u8;
        let flush = self.tally(Symbol::Match {
            lc,
            dist: (dist - 1) as u16,
        });
        self.lookahead -= self.prev_length - 1;
        for _ in 0..self.prev_length - 2 {
            self.strstart += 1;
            self.insert_string(self.strstart);
        }
        self.strstart += 1;
        if flush {
            self.flush(false)?;
        }
        Ok(())
    }
}

/// CRC-32 (ISO-HDLC), as the gzip trailer carries it.
mod crc32 {
    const fn table() -> [u32; 256] {
        let mut table = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[n] = c;
            n += 1;
        }
        table
    }
    static TABLE: [u32; 256] = table();

    pub(super) struct Crc(u32);

    impl Crc {
        pub(super) fn new() -> Self {
            Crc(0xffff_ffff)
        }
        pub(super) fn update(&mut self, bytes: &[u8]) {
            for &b in bytes {
                self.0 = TABLE[((self.0 ^ u32::from(b)) & 0xff) as usize] ^ (self.0 >> 8);
            }
        }
        pub(super) fn finalize(&self) -> u32 {
            !self.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Command, Stdio};

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Inputs that reach every path: stored, fixed and dynamic blocks, long
    /// and distant matches, window slides, early block ends, and ends of
    /// input where a match runs into the bytes past the end.
    fn inputs() -> Vec<(String, Vec<u8>)> {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut cases = vec![
            ("empty".to_owned(), Vec::new()),
            ("one byte".to_owned(), b"x".to_vec()),
            (
                "short text".to_owned(),
                b"hello, hello, hello world\n".to_vec(),
            ),
            ("zeros".to_owned(), vec![0u8; 200_000]),
        ];
        let random: Vec<u8> = (0..100_000).map(|_| rng.next() as u8).collect();
        cases.push(("random".into(), random));
        for (size, alphabet) in [
            (65_537, &b"ab"[..]),
            (150_001, b"\0\x01"),
            (300_000, b"abcdefgh \n"),
        ] {
            let bytes = (0..size)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect();
            cases.push((format!("{size} bytes of {alphabet:?}"), bytes));
        }
        let words: Vec<Vec<u8>> = (0..300)
            .map(|_| (0..1 + rng.below(12)).map(|_| rng.next() as u8).collect())
            .collect();
        let mut mixed = Vec::new();
        while mixed.len() < 400_000 {
            match rng.below(3) {
                0 => mixed.extend_from_slice(&words[rng.below(300) as usize]),
                1 => mixed.extend((0..rng.below(3000)).map(|_| rng.next() as u8)),
                _ => mixed.extend(std::iter::repeat_n(b'x', rng.below(70_000) as usize)),
            }
        }
        cases.push(("words, noise and runs".into(), mixed));
        cases
    }

    fn ours(input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        gzip(input, &mut out).unwrap();
        out
    }

    #[test]
    fn output_decompresses_to_the_input() {
        for (name, input) in inputs() {
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&ours(&input)[..])
                .read_to_end(&mut back)
                .unwrap();
            assert!(back == input, "{name}: round trip differs");
        }
    }

    #[test]
    fn output_equals_gnu_gzip() {
        for (name, input) in inputs() {
            let mut child = Command::new("gzip")
                .arg("-cn")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("GNU gzip is the oracle of this test");
            let mut stdin = child.stdin.take().unwrap();
            let feed = std::thread::spawn(move || stdin.write_all(&input).map(|()| input));
            let expected = child.wait_with_output().unwrap().stdout;
            let input = feed.join().unwrap().unwrap();
            let got = ours(&input);
            let first = got.iter().zip(&expected).position(|(a, b)| a != b);
            assert!(
                got == expected,
                "{name}: {} bytes vs gzip's {}, first difference at {first:?}",
                got.len(),
                expected.len()
            );
        }
    }
}
