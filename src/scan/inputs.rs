//! Several inputs in one scan: one after another, or, when they are regular files, the
//! scanner has more than one thread and the caller makes parts (a summary's), several
//! at once, as ripgrep searches them.
//! Each worker scans a whole file on one thread (search and decode) and makes the
//! caller's [`Part`] of its errors (their JSON lines, a summary's tallies), so that
//! the output is made on every core too. The parts wait in a bounded channel of that
//! file's own, and are passed on file by file, in the order given: the output is the
//! same on any number of cores. The parts that wait are bounded in bytes across all
//! files ([`Waiting`]): a worker ahead of the file being passed on waits while they
//! are many.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

use super::{Found, IDLE, Progress, ScanError, Scanner, Sink};

/// The most bytes of parts that may wait for the files before theirs to be passed on:
/// some 5,000 errors' JSON lines, the errors of tens of MiB of a log.
const MAX_WAITING: usize = 4 << 20;

/// What a worker makes of its file's errors, on its own thread (see the module doc).
pub trait Part: Send {
    /// Takes one error of the part's file.
    fn add(&mut self, found: Found) -> io::Result<()>;
    /// Whether the part is worth passing on now, before the file's end.
    fn is_full(&self) -> bool;
    /// About how many bytes it holds.
    fn size(&self) -> usize;
}

/// The parts waiting to be passed on: the index of the file being passed on, and the
/// bytes of every file's parts sent and not yet passed on.
#[derive(Default)]
struct Waiting {
    state: Mutex<(usize, usize)>,
    changed: Condvar,
}

impl Waiting {
    fn state(&self) -> std::sync::MutexGuard<'_, (usize, usize)> {
        // A worker that panicked holding it leaves numbers that are still right.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until a part of `size` bytes of the file at `index` may wait: at once for
    /// the file being passed on (so the scan always moves on), when nothing waits, or
    /// after the scan stopped.
    fn admit(&self, index: usize, size: usize, stopped: &AtomicBool) {
        let mut state = self.state();
        while index != state.0
            && state.1 > 0
            && state.1 + size > MAX_WAITING
            && !stopped.load(Ordering::Relaxed)
        {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        state.1 += size;
    }

    /// A part of `size` bytes was passed on.
    fn passed_on(&self, size: usize) {
        let mut state = self.state();
        state.1 = state.1.saturating_sub(size);
        self.changed.notify_all();
    }

    /// The file at `index` is the one being passed on now.
    fn move_to(&self, index: usize) {
        self.state().0 = index;
        self.changed.notify_all();
    }

    /// Wakes every worker that waits (the scan stopped).
    fn wake_all(&self) {
        let _state = self.state();
        self.changed.notify_all();
    }
}

/// What a scan of several inputs tells its caller.
// Each event is moved once, to the caller: boxing the report would cost an
// allocation per error.
#[allow(clippy::large_enum_variant)]
pub enum Event<P> {
    /// An error of the input at this index, when inputs are scanned one by one: it is
    /// passed on as soon as it is found (a followed log, a slow stream).
    Found(usize, Found),
    /// A part of the errors of the file at this index, when files are scanned at once.
    Part(usize, P),
    /// The input at this index is scanned: its totals, and the read error that ended
    /// it, if one did (the errors before it were passed on).
    Done(usize, Progress, Option<io::Error>),
    /// The totals of every input so far, for a progress line (no more than about
    /// every `IDLE` while files are scanned at once).
    Progress(Progress),
}

/// The file a worker scans: its index, its part so far, and where its parts go.
type Scanning<P> = (usize, P, mpsc::Sender<Told<P>>);

/// What a worker tells of the file it scans.
#[allow(clippy::large_enum_variant)]
enum Told<P> {
    Part(P),
    Done(Progress, Option<io::Error>),
}

/// Standard input's name among the inputs.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
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
        let scanning = std::cell::Cell::new(0);
        let mut decoding =
            self.decoding(|found| (*each_cell.borrow_mut())(Event::Found(scanning.get(), found)));
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
        let (senders, receivers): (Vec<_>, Vec<_>) = files
            .iter()
            .map(|_| mpsc::channel::<Told<P>>())
            .map(|(tx, rx)| (Some(tx), rx))
            .unzip();
        // A worker takes the next file's sender, and drops it when the file is done:
        // so a file that no worker will scan (after Ctrl-C) is seen as ended.
        let senders = Mutex::new(senders);
        let next = AtomicUsize::new(0);
        let read = AtomicU64::new(0);
        // Set when the caller stopped the scan: the workers stop reading.
        let stopped = AtomicBool::new(false);
        let waiting = Waiting::default();
        // Each worker decodes with one sink, whose cache of repeated errors serves
        // every file it scans; its errors go to the part of the file being scanned.
        let worker = || {
            let send = |index: usize, tx: &mpsc::Sender<Told<P>>, part: P| {
                waiting.admit(index, part.size(), &stopped);
                tx.send(Told::Part(part))
                    .map_err(|_| io::Error::other("the scan stopped"))
            };
            let scanning: RefCell<Option<Scanning<P>>> = RefCell::new(None);
            let mut decoding = one.decoding(|found| {
                let mut scanning = scanning.borrow_mut();
                let Some((index, part, tx)) = scanning.as_mut() else {
                    return Ok(());
                };
                part.add(found)?;
                if !part.is_full() {
                    return Ok(());
                }
                send(*index, tx, std::mem::replace(part, new_part(*index)))
            });
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let taken = senders
                    .lock()
                    .ok()
                    .and_then(|mut s| s.get_mut(index)?.take());
                let Some(tx) = taken else { break };
                if crate::signals::interrupted() {
                    // Ends every file not yet started.
                    if let Ok(mut s) = senders.lock() {
                        s.clear();
                    }
                    break;
                }
                *scanning.borrow_mut() = Some((index, new_part(index), tx));
                let (done, failed) =
                    one.scan_on_worker(&files[index], &mut decoding, &read, &stopped);
                let Some((_, part, tx)) = scanning.borrow_mut().take() else {
                    break;
                };
                // What the file's end or read error left.
                let failed = failed.or_else(|| send(index, &tx, part).err());
                if tx.send(Told::Done(done, failed)).is_err() {
                    break;
                }
            }
        };
        std::thread::scope(|s| {
            let workers = self.threads.min(files.len());
            for _ in 0..workers {
                s.spawn(worker);
            }
            let told = pass_on_in_order(&receivers, &read, &waiting, each);
            if told.is_err() {
                stopped.store(true, Ordering::Relaxed);
                waiting.wake_all();
            }
            // Dropped before the workers are joined, so that none sends in vain.
            drop(receivers);
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
            // Only when the caller has stopped: nothing more is passed on.
            Err(ScanError::Found(e)) => (Progress::default(), Some(e)),
        }
    }
}

/// Passes on each file's events, file by file, telling the totals every `IDLE` while
/// it waits.
fn pass_on_in_order<P: Part>(
    receivers: &[mpsc::Receiver<Told<P>>],
    read: &AtomicU64,
    waiting: &Waiting,
    each: &mut impl FnMut(Event<P>) -> io::Result<()>,
) -> io::Result<()> {
    let mut total = Progress::default();
    for (index, rx) in receivers.iter().enumerate() {
        waiting.move_to(index);
        loop {
            let event = match rx.recv_timeout(IDLE) {
                Ok(event) => event,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    each(Event::Progress(Progress {
                        bytes: read.load(Ordering::Relaxed),
                        ..total
                    }))?;
                    continue;
                }
                // Not started, after Ctrl-C.
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            };
            match event {
                Told::Part(part) => {
                    waiting.passed_on(part.size());
                    each(Event::Part(index, part))?;
                }
                Told::Done(done, failed) => {
                    total = total.plus(done);
                    each(Event::Done(index, done, failed))?;
                    break;
                }
            }
        }
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
