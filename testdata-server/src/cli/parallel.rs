//! Ordered parallel work: chunk `c` of a run is produced on worker `c mod jobs`, and the
//! results are consumed strictly in chunk order, so the output is the same for any number of
//! workers.
//!
//! Memory is bounded: each worker holds at most [`DEPTH`] finished chunks waiting to be
//! consumed (plus the one it is producing), so at most `jobs · (DEPTH + 1)` chunks exist at a
//! time, however long the run.

use std::sync::mpsc;
use std::thread;

/// Finished chunks a worker may hold before it waits for the consumer.
pub const DEPTH: usize = 2;

/// Produces chunks `0..chunks` on `jobs` threads and hands them to `consume` in order.
///
/// With `jobs` ≤ 1 everything runs on the calling thread. The first error (of a producer or
/// of the consumer) stops the run and is returned; workers stop at their next chunk.
pub fn run_ordered<T, E>(
    jobs: usize,
    chunks: u64,
    produce: impl Fn(u64) -> Result<T, E> + Sync,
    mut consume: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E>
where
    T: Send,
    E: Send,
{
    if jobs <= 1 || chunks <= 1 {
        return (0..chunks).try_for_each(|c| consume(produce(c)?));
    }
    let jobs = jobs.min(usize::try_from(chunks).unwrap_or(usize::MAX));
    thread::scope(|scope| {
        let produce = &produce;
        let receivers: Vec<mpsc::Receiver<Result<T, E>>> = (0..jobs)
            .map(|worker| {
                let (send, receive) = mpsc::sync_channel(DEPTH);
                scope.spawn(move || {
                    for chunk in (worker as u64..chunks).step_by(jobs) {
                        let result = produce(chunk);
                        let failed = result.is_err();
                        // A closed channel means the consumer stopped: stop too.
                        if send.send(result).is_err() || failed {
                            break;
                        }
                    }
                });
                receive
            })
            .collect();
        for chunk in 0..chunks {
            let worker = (chunk % jobs as u64) as usize;
            // A worker only hangs up after sending an error, which was consumed first.
            let Ok(result) = receivers[worker].recv() else { break };
            consume(result?)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_number_of_workers_gives_the_same_order() {
        for jobs in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            run_ordered::<u64, ()>(
                jobs,
                50,
                |c| Ok(c * 10),
                |v| {
                    seen.push(v);
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(seen, (0..50).map(|c| c * 10).collect::<Vec<_>>(), "jobs {jobs}");
        }
    }

    #[test]
    fn errors_of_producers_and_consumer_stop_the_run() {
        let produced = run_ordered(3, 100, |c| if c == 7 { Err(c) } else { Ok(c) }, |_| Ok(()));
        assert_eq!(produced, Err(7));
        let mut consumed = 0;
        let consumer = run_ordered(3, 100, Ok, |c| {
            consumed += 1;
            if c == 5 { Err(c) } else { Ok(()) }
        });
        assert_eq!((consumer, consumed), (Err(5), 6));
    }
}
