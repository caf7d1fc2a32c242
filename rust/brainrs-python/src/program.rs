//! `brainrs._core.Program`: a traced step program (`brainrs::Program`) bound to the node objects
//! it runs over. `run` borrows every node (a node already in use by another run is a clear
//! error, not a race), releases the GIL for the whole loop, checks for Ctrl-C and feeds the
//! progress callback about every 50 ms from the calling thread while the loop runs on the
//! engine's pool, and hands the recordings to NumPy without a copy.

use std::time::Duration;

use brainrs::{
    CommRef, DType, Error, Instr, NeuronInput, NodeKind, Nodes, Program, RecordMode, Recording,
    RunSpec, Slice, SynOut, Vector,
};
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::{to_py, IntoPyResult};
use crate::nodes::{PyEventJit, PyExpon, PyJit, PyLif, PyVarDelay};

/// How often the loop looks up from its work (Ctrl-C, progress).
const CHECK_EVERY: Duration = Duration::from_millis(50);

fn bad(what: &str, got: &Bound<'_, PyAny>) -> PyErr {
    to_py(Error::Structure(format!(
        "program: malformed {what}: {got}"
    )))
}

fn parse_vector(v: &Bound<'_, PyAny>) -> PyResult<Vector> {
    let t = v.cast::<PyTuple>().map_err(|_| bad("vector", v))?;
    let tag: String = t.get_item(0)?.extract()?;
    let idx = |k: usize| -> PyResult<usize> { t.get_item(k)?.extract() };
    Ok(match tag.as_str() {
        "spike" => Vector::Spike(idx(1)?),
        "g" => Vector::SynG(idx(1)?),
        "delayed" => Vector::Delayed {
            delay: idx(1)?,
            steps: idx(2)?,
        },
        "current" => Vector::Current(idx(1)?),
        "var" => {
            let kind = match t.get_item(1)?.extract::<String>()?.as_str() {
                "pop" => NodeKind::Pop,
                "syn" => NodeKind::Syn,
                "delay" => NodeKind::Delay,
                _ => return Err(bad("node kind", v)),
            };
            Vector::Var {
                kind,
                node: idx(2)?,
                name: t.get_item(3)?.extract()?,
            }
        }
        _ => return Err(bad("vector", v)),
    })
}

fn parse_slice(s: &Bound<'_, PyAny>) -> PyResult<Slice> {
    let (vector, start, end): (Bound<'_, PyAny>, usize, usize) = s.extract()?;
    Ok(Slice {
        vector: parse_vector(&vector)?,
        range: start..end,
    })
}

fn parse_instr(i: &Bound<'_, PyAny>) -> PyResult<Instr> {
    let t = i.cast::<PyTuple>().map_err(|_| bad("instruction", i))?;
    let tag: String = t.get_item(0)?.extract()?;
    Ok(match tag.as_str() {
        "comm" => Instr::Comm {
            comm: t.get_item(1)?.extract()?,
            input: parse_slice(&t.get_item(2)?)?,
            out: t.get_item(3)?.extract()?,
        },
        "syn" => Instr::Syn {
            syn: t.get_item(1)?.extract()?,
            input: t.get_item(2)?.extract()?,
        },
        "neuron" => {
            let input = t.get_item(2)?;
            let input = if input.is_none() {
                NeuronInput::None
            } else {
                let (kind, value): (String, Bound<'_, PyAny>) = input.extract()?;
                match kind.as_str() {
                    "const" => NeuronInput::Const(value.extract()?),
                    "operand" => NeuronInput::Operand(value.extract()?),
                    _ => return Err(bad("neuron input", &input)),
                }
            };
            let currents: Vec<(Option<f32>, usize)> = t.get_item(3)?.extract()?;
            Instr::Neuron {
                pop: t.get_item(1)?.extract()?,
                input,
                currents: currents
                    .into_iter()
                    .map(|(e, syn)| (e.map_or(SynOut::Cuba, |e| SynOut::Coba { e }), syn))
                    .collect(),
            }
        }
        "push" => Instr::Push {
            delay: t.get_item(1)?.extract()?,
            input: parse_slice(&t.get_item(2)?)?,
        },
        _ => return Err(bad("instruction", i)),
    })
}

/// A traced program and the node objects it runs over.
#[pyclass(module = "brainrs._core", name = "Program")]
pub struct PyProgram {
    program: Program,
    pops: Vec<Py<PyLif>>,
    syns: Vec<Py<PyExpon>>,
    delays: Vec<Py<PyVarDelay>>,
    comms: Vec<Py<PyAny>>,
}

fn in_use(e: impl std::fmt::Display) -> PyErr {
    to_py(Error::Structure(format!(
        "a node of this network is in use by another run ({e}); wait for it to finish"
    )))
}

impl PyProgram {
    /// Borrows every node and calls `f` with them (the GIL is held; `f` may release it).
    fn with_nodes<R>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Nodes<'_>) -> PyResult<R>,
    ) -> PyResult<R> {
        let mut pops = self
            .pops
            .iter()
            .map(|p| p.bind(py).try_borrow_mut().map_err(in_use))
            .collect::<PyResult<Vec<_>>>()?;
        let mut syns = self
            .syns
            .iter()
            .map(|p| p.bind(py).try_borrow_mut().map_err(in_use))
            .collect::<PyResult<Vec<_>>>()?;
        let mut delays = self
            .delays
            .iter()
            .map(|p| p.bind(py).try_borrow_mut().map_err(in_use))
            .collect::<PyResult<Vec<_>>>()?;
        let comm_objs: Vec<Bound<'_, PyAny>> =
            self.comms.iter().map(|c| c.bind(py).clone()).collect();
        let mut comms = Vec::with_capacity(comm_objs.len());
        for c in &comm_objs {
            if let Ok(e) = c.cast::<PyEventJit>() {
                comms.push(CommRef::Event(&e.get().inner));
            } else if let Ok(j) = c.cast::<PyJit>() {
                comms.push(CommRef::Float(&j.get().inner));
            } else {
                return Err(bad("connectivity operator", c));
            }
        }
        let mut nodes = Nodes {
            pops: pops
                .iter_mut()
                .map(|p| &mut p.inner as &mut dyn brainrs::NeuronGroup)
                .collect(),
            syns: syns.iter_mut().map(|s| &mut s.inner).collect(),
            delays: delays.iter_mut().map(|d| &mut d.inner).collect(),
            comms,
        };
        f(&mut nodes)
    }
}

fn recording_to_numpy(
    py: Python<'_>,
    rec: Recording,
    steps: usize,
    len: usize,
) -> PyResult<Py<PyAny>> {
    let array = match (rec.mode, rec.dtype) {
        (RecordMode::Events, _) => {
            let pair = (
                PyArray1::from_vec(py, rec.event_steps),
                PyArray1::from_vec(py, rec.event_indices),
            );
            return Ok(pair.into_pyobject(py)?.into_any().unbind());
        }
        (RecordMode::Count, _) => PyArray1::from_vec(py, rec.counts).into_any(),
        (RecordMode::Dense, DType::F32) => PyArray1::from_vec(py, rec.f32_values)
            .reshape([steps, len])?
            .into_any(),
        (RecordMode::Dense, DType::Bool) => PyArray1::from_vec(py, rec.bool_values)
            .reshape([steps, len])?
            .into_any(),
    };
    Ok(array.unbind())
}

/// A probe's record mode from its Python name.
fn record_mode(name: &str) -> PyResult<RecordMode> {
    match name {
        "dense" => Ok(RecordMode::Dense),
        "events" => Ok(RecordMode::Events),
        "count" => Ok(RecordMode::Count),
        _ => Err(to_py(Error::unknown_name(
            "record mode",
            name,
            &["dense", "events", "count"],
        ))),
    }
}

#[pymethods]
impl PyProgram {
    #[new]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        pops: Vec<Py<PyLif>>,
        syns: Vec<Py<PyExpon>>,
        delays: Vec<Py<PyVarDelay>>,
        comms: Vec<Py<PyAny>>,
        instrs: Vec<Bound<'_, PyAny>>,
        buffer_sizes: Vec<usize>,
        probes: Vec<Bound<'_, PyAny>>,
        n_operands: usize,
        dt: f32,
        pop_labels: Vec<String>,
        syn_labels: Vec<String>,
    ) -> PyResult<Self> {
        let instrs = instrs
            .iter()
            .map(parse_instr)
            .collect::<PyResult<Vec<_>>>()?;
        let probes = probes
            .iter()
            .map(parse_slice)
            .collect::<PyResult<Vec<_>>>()?;
        let program = Program::new(instrs, buffer_sizes, probes, n_operands, dt)
            .py()?
            .with_labels(pop_labels, syn_labels);
        let this = PyProgram {
            program,
            pops,
            syns,
            delays,
            comms,
        };
        this.with_nodes(py, |nodes| this.program.validate(nodes).py())?;
        Ok(this)
    }

    /// Runs one step per entry of `indices` (the step index i of each step) with the per-step
    /// `operands` (steps x n_operands float32). Returns `(steps done, recordings)`: one array
    /// (steps x len) per probe recorded `"dense"`, `(step, index)` arrays for `"events"`, one
    /// count per step for `"count"` (`modes`, one per probe).
    /// Ctrl-C stops the run between two steps and raises KeyboardInterrupt; the nodes keep the
    /// state of the steps done.
    #[pyo3(signature = (indices, operands, modes, progress=None, check_finite=false))]
    fn run(
        &self,
        py: Python<'_>,
        indices: PyReadonlyArray1<'_, u64>,
        operands: PyReadonlyArray2<'_, f32>,
        modes: Vec<String>,
        progress: Option<Py<PyAny>>,
        check_finite: bool,
    ) -> PyResult<(usize, Vec<Py<PyAny>>)> {
        let modes = modes
            .iter()
            .map(|m| record_mode(m))
            .collect::<PyResult<Vec<_>>>()?;
        let indices = indices.as_slice().map_err(PyErr::from)?.to_vec();
        let operands = operands.as_slice().map_err(PyErr::from)?.to_vec();
        let lens: Vec<usize> = self
            .program
            .probes()
            .iter()
            .map(|p| p.range.len())
            .collect();
        let (done, recordings, interrupt) = self.with_nodes(py, |nodes| {
            let mut recordings = self.program.recordings(nodes, indices.len(), &modes).py()?;
            let program = &self.program;
            let spec = RunSpec {
                indices: &indices,
                operands: &operands,
                check_finite,
            };
            let mut interrupt: Option<PyErr> = None;
            // The loop runs on the engine's pool without the GIL; this thread (the caller's,
            // usually Python's main thread, where signals arrive) watches it.
            let result = py.detach(|| {
                program.run_watched(nodes, spec, &mut recordings, CHECK_EVERY, |done| {
                    Python::attach(|py| {
                        if let Err(e) = py.check_signals() {
                            interrupt = Some(e);
                            return false;
                        }
                        if let Some(cb) = &progress {
                            if let Err(e) = cb.call1(py, (done,)) {
                                interrupt = Some(e);
                                return false;
                            }
                        }
                        true
                    })
                })
            });
            let done = result.py()?;
            if let (None, Some(cb)) = (&interrupt, &progress) {
                cb.call1(py, (done,))?;
            }
            Ok((done, recordings, interrupt))
        })?;
        if let Some(e) = interrupt {
            // the caller (a runner) advances its time index by the steps that were done
            e.value(py).setattr("brainrs_steps_done", done)?;
            return Err(e);
        }
        let out = recordings
            .into_iter()
            .zip(lens)
            .map(|(rec, len)| recording_to_numpy(py, rec, done, len))
            .collect::<PyResult<Vec<_>>>()?;
        Ok((done, out))
    }
}
