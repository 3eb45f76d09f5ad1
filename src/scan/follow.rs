//! `scan --follow`: a log read as it grows, the way `tail -F` reads one. At its end the
//! records so far are final, and the log is looked at again every `POLL`: a log
//! rotated away (its name now another file) has been read to its end, and the new
//! file is read from its start; a log truncated in place (`copytruncate`) is read
//! again from its start. Either way its line numbers start again at 1. Ctrl-C ends it.
//! A log truncated and written past the point already read between two looks cannot
//! be told from one that grew (so `tail -F` too).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::time::Duration;

use super::{Progress, ScanError, Scanner, Sink};

/// How long the reader waits at the end before it looks again.
const POLL: Duration = Duration::from_millis(200);

/// The log followed: the file open now, and how much of it is read.
struct Log {
    path: PathBuf,
    file: File,
    at: u64,
    id: Option<FileId>,
}

/// What tells one file from another under the same name.
type FileId = (u64, u64);

fn file_id(meta: &std::fs::Metadata) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

impl Log {
    fn open(path: PathBuf) -> io::Result<Log> {
        let file = File::open(&path)?;
        let id = file_id(&file.metadata()?);
        Ok(Log {
            path,
            file,
            at: 0,
            id,
        })
    }

    /// At the end of the file: starts over when the name is another file now, or when
    /// the file is shorter than what was read. Whether it did.
    fn start_over(&mut self) -> io::Result<bool> {
        let Ok(meta) = std::fs::metadata(&self.path) else {
            // Between a rotation's rename and the new file's creation.
            return Ok(false);
        };
        if file_id(&meta) != self.id {
            self.file = File::open(&self.path)?;
            self.id = file_id(&self.file.metadata()?);
        } else if meta.len() < self.at {
            self.file.seek(SeekFrom::Start(0))?;
        } else {
            return Ok(false);
        }
        self.at = 0;
        Ok(true)
    }
}

impl Scanner {
    /// Scans the log at `path` as it grows, through rotation and truncation, until
    /// Ctrl-C (see the module doc).
    pub fn scan_following(
        &self,
        path: PathBuf,
        sink: impl Sink,
        mut progress: impl FnMut(Progress),
    ) -> Result<Progress, ScanError> {
        let mut log = Log::open(path).map_err(|e| ScanError::Read(e, Progress::default()))?;
        let mut scan = self.feed(sink);
        while !crate::signals::interrupted() {
            let n = match log.file.read(scan.spare()) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(scan.fail(e)),
            };
            if n > 0 {
                log.at += n as u64;
                scan.filled(n).map_err(ScanError::Found)?;
                progress(scan.totals);
                continue;
            }
            // At the end for now: the records so far are final.
            scan.idle().map_err(ScanError::Found)?;
            progress(scan.totals);
            match log.start_over() {
                Ok(true) => scan.start_over().map_err(ScanError::Found)?,
                Ok(false) => std::thread::sleep(POLL),
                Err(e) => return Err(scan.fail(e)),
            }
        }
        scan.end(progress)
    }
}
