//! Several inputs in one scan: one after another, or, when they are regular files, the
//! scanner has more than one thread and the caller makes parts of them (a summary's
//! tallies), several at once, as ripgrep searches them.
//!
//! At once, each worker takes the next file and scans it whole on its own thread
//! (search and decode), making the caller's [`Part`] of its errors, with one cache of
//! repeated errors for all its files. The parts are passed on file by file, in the
//! order given, so the output is the same on any number of cores. Parts that wait for
//! the files before theirs are bounded in bytes: a worker that has one to leave waits
//! while too many do, unless its file is the one being passed on, so the scan always
//! moves on.

use std::cell::{Cell, RefCell};
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

use super::{Found, IDLE, Progress, ScanError, Scanner, Sink};

/// The most bytes of parts that may wait for the files before theirs to be passed on.
const MAX_WAITING: usize = 4 << 20;

/// What a worker makes of one file's errors, on its own thread (see the module doc).
pub trait Part: Send {
    /// Takes one error of the part's file.
    fn add(&mut self, found: Found);
    /// About how many bytes it holds.
    fn size(&self) -> usize;
}

/// What a scan of several inputs tells its caller.
// Each event is moved once, to the caller: boxing the report would cost an
// allocation per error.
#[allow(clippy::large_enum_variant)]
pub enum Event<P> {
    /// An error of the input at this index, when inputs are scanned one by one: it is
    /// passed on as soon as it is found (a followed log, a slow stream).
    Found(usize, Found),
    /// The part of the errors of the file at this index, when files are scanned at
    /// once.
    Part(usize, P),
    /// The input at this index is scanned: its totals, and the read error that ended
    /// it, if one did (the errors before it were passed on).
    Done(usize, Progress, Option<io::Error>),
    /// The totals of every input so far, for a progress line (no more than about
    /// every `IDLE` while files are scanned at once).
    Progress(Progress),
}

/// Standard input's name among the inputs.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Where a decoding sink passes its errors on, behind a pointer: every way of
/// scanning inputs shares one copy of the scan's code.
type PassOn<'a> = Box<dyn FnMut(Found) -> io::Result<()> + 'a>;

/// A file a worker has scanned: the part of its errors, its totals, and the read
/// error that ended it, if one did.
struct Scanned<P> {
    part: P,
    done: Progress,
    failed: Option<io::Error>,
}

/// Where the workers of a scan at once and its caller meet.
struct Board<P> {
    /// The next file a worker takes.
    next: usize,
    /// No file starts any more (Ctrl-C, or the caller stopped).
    closed: bool,
    /// The file being passed on.
    passing: usize,
    /// The bytes of the parts left and not yet passed on.
    waiting: usize,
    /// The files scanned and not yet passed on, by index.
    scanned: Vec<Option<Scanned<P>>>,
}

struct Shared<P> {
    board: Mutex<Board<P>>,
    changed: Condvar,
}

impl<P: Part> Shared<P> {
    /// The board of a scan of `files` files, none started.
    fn new(files: usize) -> Shared<P> {
        Shared {
            board: Mutex::new(Board {
                next: 0,
                closed: false,
                passing: 0,
                waiting: 0,
                scanned: (0..files).map(|_| None).collect(),
            }),
            changed: Condvar::new(),
        }
    }

    fn board(&self) -> MutexGuard<'_, Board<P>> {
        // A worker that panicked holding it leaves a board that is still right.
        self.board.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next file for a worker, if one is left and files still start.
    fn take_next(&self, files: usize) -> Option<usize> {
        let mut board = self.board();
        if crate::signals::interrupted() {
            board.closed = true;
            self.changed.notify_all();
        }
        if board.closed || board.next == files {
            return None;
        }
        board.next += 1;
        Some(board.next - 1)
    }

    /// Leaves a file scanned, waiting first while too many bytes of parts wait (see
    /// the module doc).
    fn leave(&self, index: usize, scanned: Scanned<P>) {
        let size = scanned.part.size();
        let mut board = self.board();
        while index != board.passing
            && board.waiting > 0
            && board.waiting + size > MAX_WAITING
            && !board.closed
        {
            board = self.changed.wait(board).unwrap_or_else(|e| e.into_inner());
        }
        board.waiting += size;
        board.scanned[index] = Some(scanned);
        self.changed.notify_all();
    }

    /// The file at `index` once it is scanned; `Err` with the bytes read so far
    /// after `IDLE` without it, `Ok(None)` when it will never start.
    fn pass_on(&self, index: usize, read: &AtomicU64) -> Result<Option<Scanned<P>>, u64> {
        let mut board = self.board();
        if board.passing != index {
            board.passing = index;
            self.changed.notify_all();
        }
        loop {
            if let Some(scanned) = board.scanned[index].take() {
                board.waiting = board.waiting.saturating_sub(scanned.part.size());
                self.changed.notify_all();
                return Ok(Some(scanned));
            }
            if board.closed && board.next <= index {
                return Ok(None);
            }
            let (again, waited) = self
                .changed
                .wait_timeout(board, IDLE)
                .unwrap_or_else(|e| e.into_inner());
            board = again;
            if waited.timed_out() {
                return Err(read.load(Ordering::Relaxed));
            }
        }
    }

    /// No file starts any more, and no worker waits to leave one.
    fn close(&self) {
        self.board().closed = true;
        self.changed.notify_all();
    }
}

impl Scanner {
    /// Scans `inputs` (paths, `-` for standard input), following the only one when
    /// `follow` is set, and tells `each` what it finds (see [`Event`]). With
    /// `new_part` (the part of the file at an index), regular files are scanned at
    /// once; without, one by one, each error passed on as it is found. Stops at the
    /// first error `each` returns, and returns it.
    pub fn scan_inputs<P: Part>(
        &self,
        inputs: &[PathBuf],
        follow: bool,
        new_part: Option<impl Fn(usize) -> P + Sync>,
        mut each: impl FnMut(Event<P>) -> io::Result<()>,
    ) -> io::Result<()> {
        let several = self.threads > 1 && inputs.len() > 1 && !follow;
        match new_part {
            Some(new_part) if several && inputs.iter().all(|p| !is_stdin(p) && !is_stream(p)) => {
                self.scan_at_once(inputs, &new_part, &mut each)
            }
            _ => self.scan_one_by_one(inputs, follow, &mut each),
        }
    }

    fn scan_one_by_one<P>(
        &self,
        inputs: &[PathBuf],
        follow: bool,
        each: &mut impl FnMut(Event<P>) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut total = Progress::default();
        // The sink and the progress callback both tell `each`, never at once: the scan
        // calls one, then the other. One sink serves every input, so its cache of
        // repeated errors does.
        let each_cell = RefCell::new(each);
        let scanning = Cell::new(0);
        let pass_on: PassOn<'_> =
            Box::new(|found| (*each_cell.borrow_mut())(Event::Found(scanning.get(), found)));
        let mut decoding = self.decoding(pass_on);
        for (index, path) in inputs.iter().enumerate() {
            if crate::signals::interrupted() {
                break;
            }
            scanning.set(index);
            let sink = &mut decoding;
            let progress = |p: Progress| {
                // A progress line cannot fail the scan; a failing write is met at the
                // next error or at the end.
                let _ = (*each_cell.borrow_mut())(Event::Progress(total.plus(p)));
            };
            let scanned = if is_stdin(path) {
                self.scan_stdin(sink, progress)
            } else if follow {
                self.scan_following(path.clone(), sink, progress)
            } else {
                match File::open(path) {
                    Ok(file) => self.scan_file(file, sink, progress),
                    Err(e) => Err(ScanError::Read(e, Progress::default())),
                }
            };
            let (done, failed) = match scanned {
                Ok(done) => (done, None),
                Err(ScanError::Read(e, done)) => (done, Some(e)),
                Err(ScanError::Found(e)) => return Err(e),
            };
            total = total.plus(done);
            (*each_cell.borrow_mut())(Event::Done(index, done, failed))?;
        }
        Ok(())
    }

    /// Scans regular files on workers of one thread each (see the module doc).
    fn scan_at_once<P: Part>(
        &self,
        files: &[PathBuf],
        new_part: &(impl Fn(usize) -> P + Sync),
        each: &mut impl FnMut(Event<P>) -> io::Result<()>,
    ) -> io::Result<()> {
        let one = Scanner {
            searcher: self.searcher.clone(),
            threads: 1,
            ..*self
        };
        let shared = Shared::new(files.len());
        let read = AtomicU64::new(0);
        // Set when the caller stopped the scan: the workers stop reading.
        let stopped = AtomicBool::new(false);
        let worker = || {
            // The part of the file being scanned.
            let part: RefCell<Option<P>> = RefCell::new(None);
            let add: PassOn<'_> = Box::new(|found| {
                if let Some(part) = &mut *part.borrow_mut() {
                    part.add(found);
                }
                Ok(())
            });
            let mut decoding = one.decoding(add);
            while let Some(index) = shared.take_next(files.len()) {
                *part.borrow_mut() = Some(new_part(index));
                let (done, failed) =
                    one.scan_on_worker(&files[index], &mut decoding, &read, &stopped);
                let Some(part) = part.borrow_mut().take() else {
                    break;
                };
                shared.leave(index, Scanned { part, done, failed });
            }
        };
        std::thread::scope(|s| {
            for _ in 0..self.threads.min(files.len()) {
                s.spawn(worker);
            }
            let told = pass_on_in_order(&shared, files.len(), &read, each);
            if told.is_err() {
                stopped.store(true, Ordering::Relaxed);
                shared.close();
            }
            told
        })
    }

    /// Scans one file on a worker into `sink`, adding its bytes read to `read`.
    fn scan_on_worker(
        &self,
        path: &Path,
        sink: impl Sink,
        read: &AtomicU64,
        stopped: &AtomicBool,
    ) -> (Progress, Option<io::Error>) {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) => return (Progress::default(), Some(e)),
        };
        let input = Stoppable { file, stopped };
        let mut counted = 0;
        let scanned = self.scan(input, sink, |p| {
            read.fetch_add(p.bytes - counted, Ordering::Relaxed);
            counted = p.bytes;
        });
        match scanned {
            Ok(done) => (done, None),
            Err(ScanError::Read(e, done)) => (done, Some(e)),
            // Not met: a part takes every error.
            Err(ScanError::Found(e)) => (Progress::default(), Some(e)),
        }
    }
}

/// Passes on each file's part and totals, file by file, telling the totals every
/// `IDLE` while it waits.
fn pass_on_in_order<P: Part>(
    shared: &Shared<P>,
    files: usize,
    read: &AtomicU64,
    each: &mut impl FnMut(Event<P>) -> io::Result<()>,
) -> io::Result<()> {
    let mut total = Progress::default();
    for index in 0..files {
        let scanned = loop {
            match shared.pass_on(index, read) {
                Ok(scanned) => break scanned,
                Err(bytes) => each(Event::Progress(Progress { bytes, ..total }))?,
            }
        };
        // Not started, after Ctrl-C.
        let Some(Scanned { part, done, failed }) = scanned else {
            return Ok(());
        };
        total = total.plus(done);
        each(Event::Part(index, part))?;
        each(Event::Done(index, done, failed))?;
    }
    Ok(())
}

/// Whether the path is a pipe, a device or a socket: read as a stream, whose records
/// are shown as they arrive (a file that cannot be read is not one: its worker says
/// why).
fn is_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// A file whose reading ends, as an error, once the scan is stopped.
struct Stoppable<'a> {
    file: File,
    stopped: &'a AtomicBool,
}

impl Read for Stoppable<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stopped.load(Ordering::Relaxed) {
            return Err(io::Error::other("the scan stopped"));
        }
        self.file.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A part of a given size.
    struct OfSize(usize);

    impl Part for OfSize {
        fn add(&mut self, _: Found) {}
        fn size(&self) -> usize {
            self.0
        }
    }

    fn scanned(size: usize) -> Scanned<OfSize> {
        Scanned {
            part: OfSize(size),
            done: Progress::default(),
            failed: None,
        }
    }

    /// A worker ahead waits to leave its part while the parts waiting are too many,
    /// and goes on once the files before it are passed on; the file being passed on
    /// never waits.
    #[test]
    fn a_worker_ahead_waits_while_too_much_waits() {
        let shared = Shared::<OfSize>::new(3);
        let read = AtomicU64::new(0);
        shared.leave(1, scanned(MAX_WAITING));
        std::thread::scope(|s| {
            let ahead = s.spawn(|| shared.leave(2, scanned(1)));
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(
                shared.board().scanned[2].is_none(),
                "left while too much waits"
            );
            // File 0 is being passed on: its part is left at once.
            shared.leave(0, scanned(MAX_WAITING));
            for index in 0..3 {
                let part = loop {
                    if let Ok(part) = shared.pass_on(index, &read) {
                        break part;
                    }
                };
                assert_eq!(
                    part.map(|p| p.part.0),
                    Some([MAX_WAITING, MAX_WAITING, 1][index])
                );
            }
            ahead.join().unwrap();
        });
        assert_eq!(shared.board().waiting, 0);
    }
}
