//! The work one document may cost: a deadline (the parse time budget, `--parse-seconds`) and
//! an optional cap on steps, checked cooperatively by the loops of every parser and of the
//! segmenter (blocks, lines, PDF content operators, XML and HTML nodes, JSON values).
//!
//! Why cooperative and why by unwinding: a watchdog thread cannot stop a parse, only abandon
//! it, and the abandoned thread keeps its CPU and memory until it ends on its own. A deadline
//! checked inside the loops stops the work itself. The budget is installed for the current
//! thread by [`Budget::enter`]; [`tick`] counts a step and, once the budget is spent, unwinds
//! with an [`OverBudget`] payload through [`std::panic::resume_unwind`], which runs no panic
//! hook (nothing is printed). `parse::parse_bytes` and ingest already run each document behind
//! `catch_unwind`; they recognise the payload with [`OverBudget::from_payload`] and report the
//! document's one-line error. Threading a `Result` through every loop of six parsers and the
//! segmenter would say the same with a hundred more signatures. This is how salsa cancels a
//! query.
//!
//! Work that moves to another thread (the PDF parser's large-stack pool) carries the budget
//! along with [`Budget::current`] and [`Budget::enter`]. Without a budget installed, [`tick`]
//! does nothing: library callers that never enter one are unbounded as before.

use std::cell::Cell;
use std::fmt;
use std::time::{Duration, Instant};

/// The clock is read on the first step and then once every this many steps: a step is cheap
/// (a thread-local counter), reading the clock costs more.
const CLOCK_EVERY: u64 = 64;

/// The budget of one document: a deadline and a cap on steps.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    deadline: Instant,
    limit: Duration,
    max_steps: u64,
}

/// Why a document was stopped. Displays as the end of its one-line error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OverBudget {
    #[error("took longer than the {} s parse budget (raise it with --parse-seconds)", seconds(*.0))]
    Time(Duration),
    #[error("took more than the {0} steps of its parse budget (--parse-steps)")]
    Steps(u64),
}

fn seconds(d: Duration) -> impl fmt::Display {
    // Whole seconds as given on the command line; a fraction only when there is one.
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}", s as u64)
    } else {
        format!("{s}")
    }
}

thread_local! {
    static CURRENT: Cell<Option<Budget>> = const { Cell::new(None) };
    static STEPS: Cell<u64> = const { Cell::new(0) };
}

impl Budget {
    /// A budget of `limit` from now, with at most `max_steps` steps (`u64::MAX`: no cap).
    pub fn new(limit: Duration, max_steps: u64) -> Budget {
        Budget {
            // A limit too far to represent is no limit.
            deadline: Instant::now()
                .checked_add(limit)
                .unwrap_or_else(|| Instant::now() + Duration::from_secs(u32::MAX as u64)),
            limit,
            max_steps,
        }
    }

    /// What is left of the budget installed on this thread, to carry the work to another
    /// thread (whose steps come back with [`charge`]).
    pub fn current() -> Option<Budget> {
        let used = STEPS.with(Cell::get);
        CURRENT.with(Cell::get).map(|b| Budget {
            max_steps: b.max_steps.saturating_sub(used),
            ..b
        })
    }

    /// Installs this budget on the current thread until the guard drops, with its step count
    /// at zero; the drop puts back the budget (and step count) that was there before.
    ///
    /// It replaces rather than narrows an outer budget: a thread that waits for rayon work
    /// runs other queued jobs meanwhile (other documents' reads, in ingest whole ranges of
    /// them), nested in its own call stack. Each is bound by its own document's budget, and
    /// the time it took is given back to the waiting document's deadline when it ends: that
    /// time was not the waiting document's work. (Without this, a PDF waiting for the PDF pool
    /// in a batch of thousands of files ran out of 30 s while its thread read other files.)
    pub fn enter(self) -> Entered {
        let outer = CURRENT.with(|c| c.replace(Some(self)));
        let outer_steps = STEPS.with(|s| s.replace(0));
        Entered {
            outer,
            outer_steps,
            started: Instant::now(),
        }
    }

    /// This budget with `spent` (time the thread gave to other work) added to its deadline.
    fn resumed(self, spent: Duration) -> Budget {
        Budget {
            deadline: self.deadline.checked_add(spent).unwrap_or(self.deadline),
            ..self
        }
    }
}

/// Restores the budget that was installed before [`Budget::enter`].
#[must_use = "the budget holds only while this guard lives"]
pub struct Entered {
    outer: Option<Budget>,
    outer_steps: u64,
    started: Instant,
}

impl Drop for Entered {
    fn drop(&mut self) {
        let outer = self.outer.map(|o| o.resumed(self.started.elapsed()));
        CURRENT.with(|c| c.set(outer));
        STEPS.with(|s| s.set(self.outer_steps));
    }
}

/// Counts one step of work of the document being parsed; once its budget is spent, unwinds
/// with [`OverBudget`] (see the module documentation). Does nothing without a budget.
#[inline]
pub fn tick() {
    let Some(budget) = CURRENT.with(Cell::get) else {
        return;
    };
    let step = STEPS.with(|s| {
        let n = s.get();
        s.set(n + 1);
        n
    });
    if step >= budget.max_steps {
        std::panic::resume_unwind(Box::new(OverBudget::Steps(budget.max_steps)));
    }
    if step.is_multiple_of(CLOCK_EVERY) && Instant::now() >= budget.deadline {
        std::panic::resume_unwind(Box::new(OverBudget::Time(budget.limit)));
    }
}

/// The steps counted on this thread since the innermost [`Budget::enter`].
pub fn steps() -> u64 {
    STEPS.with(Cell::get)
}

/// Counts `steps` done for this thread's budget on another thread.
pub fn charge(steps: u64) {
    STEPS.with(|s| s.set(s.get().saturating_add(steps)));
}

impl OverBudget {
    /// The budget that stopped a document, when a caught unwind was one.
    pub fn from_payload(payload: &(dyn std::any::Any + Send)) -> Option<OverBudget> {
        payload.downcast_ref::<OverBudget>().copied()
    }
}

/// Runs `work` within `budget`: its result, or what stopped it. Any other panic goes on.
pub fn run<R>(budget: Budget, work: impl FnOnce() -> R) -> Result<R, OverBudget> {
    let _entered = budget.enter();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(r) => Ok(r),
        Err(payload) => match OverBudget::from_payload(&*payload) {
            Some(over) => Err(over),
            None => std::panic::resume_unwind(payload),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ticks until stopped (at most a million times), returning how many ticks ran.
    fn spend(budget: Budget) -> (u64, Result<(), OverBudget>) {
        let done = Cell::new(0u64);
        let r = run(budget, || {
            for _ in 0..1_000_000 {
                tick();
                done.set(done.get() + 1);
            }
        });
        (done.get(), r)
    }

    #[test]
    fn a_zero_budget_stops_at_the_first_step() {
        let (done, r) = spend(Budget::new(Duration::ZERO, u64::MAX));
        assert_eq!(done, 0);
        assert_eq!(r, Err(OverBudget::Time(Duration::ZERO)));
        assert_eq!(
            r.unwrap_err().to_string(),
            "took longer than the 0 s parse budget (raise it with --parse-seconds)"
        );
    }

    #[test]
    fn a_step_cap_stops_after_exactly_that_many_steps() {
        let (done, r) = spend(Budget::new(Duration::from_secs(3600), 100));
        assert_eq!(done, 100);
        assert_eq!(r, Err(OverBudget::Steps(100)));
        // The thread has no budget left behind: ticks are free again.
        assert!(Budget::current().is_none());
        let (done, r) = spend(Budget::new(Duration::from_secs(3600), u64::MAX));
        assert_eq!((done, r), (1_000_000, Ok(())));
    }

    #[test]
    fn an_inner_budget_is_its_own_and_the_outer_one_resumes_where_it_was() {
        let outer = Budget::new(Duration::from_secs(3600), 50);
        let r = run(outer, || {
            for _ in 0..10 {
                tick();
            }
            // Another document's work, run while this one waits: its own 100 steps.
            let (done, inner) = spend(Budget::new(Duration::from_secs(3600), 100));
            assert_eq!((done, inner), (100, Err(OverBudget::Steps(100))));
            assert_eq!(steps(), 10);
            // Work carried to another thread comes back as a charge: 30 more spent, 10 left.
            let carried = Budget::current().unwrap();
            let elsewhere = std::thread::spawn(move || {
                let (done, r) = spend(carried);
                assert_eq!((done, r), (40, Err(OverBudget::Steps(40))));
            });
            elsewhere.join().unwrap();
            charge(30);
            for _ in 0..20 {
                tick();
            }
        });
        assert_eq!(r, Err(OverBudget::Steps(50)));
    }

    #[test]
    fn time_given_to_other_work_moves_the_deadline_by_exactly_that() {
        let b = Budget::new(Duration::from_secs(30), u64::MAX);
        let r = b.resumed(Duration::from_millis(1500));
        assert_eq!(r.deadline - b.deadline, Duration::from_millis(1500));
        assert_eq!((r.limit, r.max_steps), (b.limit, b.max_steps));
        // The outer budget on this thread is put back resumed, not as it was entered: a
        // zero budget stays spent (its deadline is in the past or now), whatever was nested.
        let r = run(Budget::new(Duration::ZERO, u64::MAX), || {
            let _ = run(Budget::new(Duration::from_secs(3600), u64::MAX), tick);
            tick();
        });
        assert_eq!(r, Err(OverBudget::Time(Duration::ZERO)));
    }

    #[test]
    fn other_panics_are_not_swallowed() {
        let r = std::panic::catch_unwind(|| {
            let _ = run(Budget::new(Duration::from_secs(1), u64::MAX), || {
                panic!("a bug")
            });
        });
        assert!(r.is_err());
        assert!(Budget::current().is_none());
    }

    #[test]
    fn without_a_budget_ticks_cost_nothing_and_stop_nothing() {
        for _ in 0..1000 {
            tick();
        }
        assert!(Budget::current().is_none());
    }
}
