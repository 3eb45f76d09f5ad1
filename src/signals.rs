//! What the process does on a signal. SIGPIPE is ignored (src/main.rs), so a closed
//! pipe is an error that ends quietly. Ctrl-C during `scan` stops its reading: it
//! prints what it found (the summary table), and the process exits 130, as a shell
//! reports a command that SIGINT ended. Anywhere else SIGINT keeps its default and
//! ends the process at once.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The exit status of a scan that Ctrl-C ended: 128 + SIGINT.
pub const INTERRUPTED_STATUS: u8 = 130;

/// From now on, SIGINT only asks the scan to stop ([`interrupted`]).
pub fn catch_interrupt() {
    #[cfg(unix)]
    {
        const SIGINT: std::ffi::c_int = 2;
        extern "C" fn on_sigint(_: std::ffi::c_int) {
            // An atomic store is all a signal handler may safely do here.
            INTERRUPTED.store(true, Ordering::Relaxed);
        }
        let handler: extern "C" fn(std::ffi::c_int) = on_sigint;
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe { set_disposition(SIGINT, handler as usize) };
    }
}

/// Whether Ctrl-C asked the scan to stop.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::Relaxed)
}

/// Sets what the process does on `signum`: a handler's address, or `SIG_IGN` (1).
/// C's `signal`, in glibc and musl alike, which restart an interrupted read.
///
/// # Safety
/// `disposition` must be `SIG_IGN`, `SIG_DFL` or a handler that is async-signal-safe.
#[cfg(unix)]
pub unsafe fn set_disposition(signum: std::ffi::c_int, disposition: usize) {
    unsafe extern "C" {
        fn signal(signum: std::ffi::c_int, handler: usize) -> usize;
    }
    unsafe { signal(signum, disposition) };
}
