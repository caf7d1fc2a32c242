//! A traced step program: the body of a user's `update()`, recorded once as data and then run
//! for many steps over nodes borrowed from their owners (the Python node objects in traced
//! mode). The same engine functions as eager calls, in the same order: traced and eager runs
//! are bit-identical.
//!
//! A program is a list of [`Instr`]s over indices into [`Nodes`] (populations, synapses,
//! delays, connectivity operators) and into its own scratch buffers (the currents that
//! connectivity operators produce). [`Program::validate`] checks every index, slice length and
//! dtype against the nodes once, before a run; the run then only calls kernels.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::delay::{DelayRead, VarDelay};
use crate::error::{Error, Result};
use crate::jitconn::{EventJitFPHomoLinear, JitFPHomoLinear};
use crate::neuron::{Input, NeuronGroup, StepContext};
use crate::output::{Current, SynOut};
use crate::parallel;
use crate::state::{DType, Stateful, VarData};
use crate::synapse::Expon;

/// A connectivity operator, borrowed.
#[derive(Debug, Clone, Copy)]
pub enum CommRef<'a> {
    /// Bool spikes in (`EventJitFPHomoLinear`).
    Event(&'a EventJitFPHomoLinear),
    /// Float32 values in (`JitFPHomoLinear`).
    Float(&'a JitFPHomoLinear),
}

impl CommRef<'_> {
    fn num_in(&self) -> usize {
        match self {
            CommRef::Event(c) => c.conn().num_in(),
            CommRef::Float(c) => c.conn().num_in(),
        }
    }

    fn num_out(&self) -> usize {
        match self {
            CommRef::Event(c) => c.conn().num_out(),
            CommRef::Float(c) => c.conn().num_out(),
        }
    }

    fn input_dtype(&self) -> DType {
        match self {
            CommRef::Event(_) => DType::Bool,
            CommRef::Float(_) => DType::F32,
        }
    }

    fn chunk_len(&self) -> usize {
        match self {
            CommRef::Event(c) => c.conn().chunk_len(),
            CommRef::Float(c) => c.conn().chunk_len(),
        }
    }
}

/// The nodes a program runs over, borrowed for the run.
#[derive(Debug, Default)]
pub struct Nodes<'a> {
    pub pops: Vec<&'a mut dyn NeuronGroup>,
    pub syns: Vec<&'a mut Expon>,
    pub delays: Vec<&'a mut VarDelay>,
    pub comms: Vec<CommRef<'a>>,
}

/// A node whose variables can be read by name (for monitors and general reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Pop,
    Syn,
    Delay,
}

/// Where a vector is read from.
#[derive(Debug, Clone, PartialEq)]
pub enum Vector {
    /// A population's spikes of its last update.
    Spike(usize),
    /// A synapse's conductance g.
    SynG(usize),
    /// A delay's value `steps` (>= 1) pushes back (`delay.at(entry)`).
    Delayed { delay: usize, steps: usize },
    /// One of the program's current buffers (the output of a [`Instr::Comm`]).
    Current(usize),
    /// Any variable of a node, by name (flat).
    Var {
        kind: NodeKind,
        node: usize,
        name: String,
    },
}

/// A contiguous part of a vector (`spk[:3200]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    pub vector: Vector,
    pub range: Range<usize>,
}

/// A population's external input in a step.
#[derive(Debug, Clone, PartialEq)]
pub enum NeuronInput {
    None,
    /// The same value every step.
    Const(f32),
    /// Column `k` of the run's per-step operands (one value per step).
    Operand(usize),
}

/// One operation of a step.
#[derive(Debug, Clone, PartialEq)]
pub enum Instr {
    /// `buffers[out] = comms[comm] @ input`.
    Comm {
        comm: usize,
        input: Slice,
        out: usize,
    },
    /// `syns[syn].update(dt, buffers[input])`.
    Syn { syn: usize, input: Option<usize> },
    /// `pops[pop].update(input, currents)`, each current `(output, synapse whose g it uses)`.
    Neuron {
        pop: usize,
        input: NeuronInput,
        currents: Vec<(SynOut, usize)>,
    },
    /// `delays[delay].push(input)`.
    Push { delay: usize, input: Slice },
}

/// A validated program: instructions, current buffers and the probes recorded each step.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    instrs: Vec<Instr>,
    buffer_sizes: Vec<usize>,
    probes: Vec<Slice>,
    n_operands: usize,
    dt: f32,
    /// Names of the populations and synapses in messages (`"N"`, `"E.syn"`).
    pop_labels: Vec<String>,
    syn_labels: Vec<String>,
    /// `fused[k]`: instruction k is a `Comm` whose buffer only the `Syn` right after it reads;
    /// the two run as one task per output chunk (see [`Program::execute_fused`]).
    fused: Vec<bool>,
}

/// How a probe is recorded each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecordMode {
    /// Every value (`steps x len`).
    #[default]
    Dense,
    /// For bool probes (spikes): the step and position of every `true`.
    Events,
    /// For bool probes: how many are `true` (one number per step: a population's spike count).
    Count,
}

/// What a probe recorded in a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    /// The probe's element type.
    pub dtype: DType,
    /// How it is recorded (`Events` and `Count` only for bool probes).
    pub mode: RecordMode,
    /// Float32 values, `steps x len` row-major (dense float probes).
    pub f32_values: Vec<f32>,
    /// Bool values, `steps x len` (dense bool probes).
    pub bool_values: Vec<bool>,
    /// `Events`: the step (index into the run) of every `true`, in time order ...
    pub event_steps: Vec<u32>,
    /// ... and its position in the probe.
    pub event_indices: Vec<u32>,
    /// `Count`: the number of `true` values of each step.
    pub counts: Vec<u32>,
}

/// How a run proceeds: the step index of each step and the per-step operands.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec<'a> {
    /// The step index `i` of each step (t = float32(i) * float32(dt)).
    pub indices: &'a [u64],
    /// `indices.len() x n_operands` per-step values, row-major.
    pub operands: &'a [f32],
    /// Stop at the end of the first step after which a population's V or a synapse's g is
    /// NaN or infinite, with [`Error::NonFinite`] naming it (the steps before it are kept).
    pub check_finite: bool,
}

impl Program {
    /// A program over nodes that [`Program::validate`] will check. `dt` in ms.
    pub fn new(
        instrs: Vec<Instr>,
        buffer_sizes: Vec<usize>,
        probes: Vec<Slice>,
        n_operands: usize,
        dt: f32,
    ) -> Result<Self> {
        crate::error::check_positive("dt", dt)?;
        let fused = fusable(&instrs, &probes);
        Ok(Program {
            instrs,
            buffer_sizes,
            probes,
            n_operands,
            dt,
            pop_labels: Vec::new(),
            syn_labels: Vec::new(),
            fused,
        })
    }

    /// Names the populations and synapses (by their index in [`Nodes`]) in messages.
    pub fn with_labels(mut self, pops: Vec<String>, syns: Vec<String>) -> Self {
        self.pop_labels = pops;
        self.syn_labels = syns;
        self
    }

    /// The first NaN or infinite V of a population or g of a synapse, as an error.
    fn check_finite(&self, nodes: &Nodes<'_>, step: u64) -> Result<()> {
        let label = |labels: &[String], kind: &str, k: usize| {
            labels
                .get(k)
                .cloned()
                .unwrap_or_else(|| format!("{kind} {k}"))
        };
        let first_bad = |x: &[f32]| x.iter().position(|v| !v.is_finite()).map(|j| (j, x[j]));
        for (k, pop) in nodes.pops.iter().enumerate() {
            if let Ok(VarData::F32(v)) = pop.var("V") {
                if let Some((index, value)) = first_bad(v) {
                    return Err(Error::NonFinite {
                        node: label(&self.pop_labels, pop.model_name(), k),
                        variable: "V".into(),
                        index,
                        step,
                        value,
                    });
                }
            }
        }
        for (k, syn) in nodes.syns.iter().enumerate() {
            if let Some((index, value)) = first_bad(syn.g()) {
                return Err(Error::NonFinite {
                    node: label(&self.syn_labels, "Expon", k),
                    variable: "g".into(),
                    index,
                    step,
                    value,
                });
            }
        }
        Ok(())
    }

    /// The probes recorded each step, in order.
    pub fn probes(&self) -> &[Slice] {
        &self.probes
    }

    /// The dtype and full length of a vector, checking that it exists.
    fn vector_shape(&self, nodes: &Nodes<'_>, v: &Vector) -> Result<(DType, usize)> {
        let missing = |what: &str, i: usize| Error::Structure(format!("program: no {what} {i}"));
        Ok(match v {
            Vector::Spike(p) => {
                let pop = nodes
                    .pops
                    .get(*p)
                    .ok_or_else(|| missing("population", *p))?;
                (DType::Bool, pop.size())
            }
            Vector::SynG(s) => {
                let syn = nodes.syns.get(*s).ok_or_else(|| missing("synapse", *s))?;
                (DType::F32, syn.size())
            }
            Vector::Delayed { delay, steps } => {
                let d = nodes
                    .delays
                    .get(*delay)
                    .ok_or_else(|| missing("delay", *delay))?;
                if *steps == 0 {
                    return Err(Error::parameter("delay steps", "at least 1", 0));
                }
                d.read_steps(*steps)?;
                (d.dtype(), d.size())
            }
            Vector::Current(b) => {
                let size = self
                    .buffer_sizes
                    .get(*b)
                    .ok_or_else(|| missing("buffer", *b))?;
                (DType::F32, *size)
            }
            Vector::Var { kind, node, name } => {
                let data = read_var(nodes, *kind, *node, name)?;
                (data.dtype(), data.len())
            }
        })
    }

    fn slice_shape(&self, nodes: &Nodes<'_>, s: &Slice) -> Result<DType> {
        let (dtype, len) = self.vector_shape(nodes, &s.vector)?;
        if s.range.start > s.range.end || s.range.end > len {
            return Err(Error::Shape {
                param: "slice".into(),
                expected: format!("a range within 0..{len}"),
                got: format!("{:?}", s.range),
            });
        }
        Ok(dtype)
    }

    /// Checks every instruction and probe against `nodes`; a run over nodes that passed cannot
    /// fail on an index, a length or a dtype.
    pub fn validate(&self, nodes: &Nodes<'_>) -> Result<()> {
        let missing = |what: &str, i: usize| Error::Structure(format!("program: no {what} {i}"));
        for instr in &self.instrs {
            match instr {
                Instr::Comm { comm, input, out } => {
                    let c = nodes
                        .comms
                        .get(*comm)
                        .ok_or_else(|| missing("operator", *comm))?;
                    let dtype = self.slice_shape(nodes, input)?;
                    if input.range.len() != c.num_in() {
                        return Err(Error::length("comm input", c.num_in(), input.range.len()));
                    }
                    if dtype != c.input_dtype() {
                        return Err(Error::DType {
                            param: "comm input".into(),
                            expected: c.input_dtype().name().into(),
                            got: dtype.name().into(),
                        });
                    }
                    let size = self
                        .buffer_sizes
                        .get(*out)
                        .ok_or_else(|| missing("buffer", *out))?;
                    if *size != c.num_out() {
                        return Err(Error::length("comm output", c.num_out(), *size));
                    }
                }
                Instr::Syn { syn, input } => {
                    let s = nodes
                        .syns
                        .get(*syn)
                        .ok_or_else(|| missing("synapse", *syn))?;
                    if let Some(b) = input {
                        let size = self
                            .buffer_sizes
                            .get(*b)
                            .ok_or_else(|| missing("buffer", *b))?;
                        if *size != s.size() {
                            return Err(Error::length("synapse input", s.size(), *size));
                        }
                    }
                }
                Instr::Neuron {
                    pop,
                    input,
                    currents,
                } => {
                    let p = nodes
                        .pops
                        .get(*pop)
                        .ok_or_else(|| missing("population", *pop))?;
                    if let NeuronInput::Operand(k) = input {
                        if *k >= self.n_operands {
                            return Err(missing("operand", *k));
                        }
                    }
                    if let NeuronInput::Const(x) = input {
                        crate::error::check_finite("input", *x)?;
                    }
                    for (_, syn) in currents {
                        let s = nodes
                            .syns
                            .get(*syn)
                            .ok_or_else(|| missing("synapse", *syn))?;
                        if s.size() != p.size() {
                            return Err(Error::length("synaptic current", p.size(), s.size()));
                        }
                    }
                }
                Instr::Push { delay, input } => {
                    let d = nodes
                        .delays
                        .get(*delay)
                        .ok_or_else(|| missing("delay", *delay))?;
                    let dtype = self.slice_shape(nodes, input)?;
                    if input.range.len() != d.size() || dtype != d.dtype() {
                        return Err(Error::Shape {
                            param: "delay push".into(),
                            expected: format!("{} {}", d.size(), d.dtype().name()),
                            got: format!("{} {}", input.range.len(), dtype.name()),
                        });
                    }
                }
            }
        }
        for probe in &self.probes {
            self.slice_shape(nodes, probe)?;
        }
        Ok(())
    }

    /// Allocates the recordings of a run of `steps` steps, probe `k` recorded as `modes[k]`
    /// (`Dense` where not given; `Events` and `Count` need a bool probe).
    pub fn recordings(
        &self,
        nodes: &Nodes<'_>,
        steps: usize,
        modes: &[RecordMode],
    ) -> Result<Vec<Recording>> {
        self.probes
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let dtype = self.slice_shape(nodes, p)?;
                let mode = modes.get(k).copied().unwrap_or_default();
                if mode != RecordMode::Dense && dtype != DType::Bool {
                    return Err(Error::DType {
                        param: format!("probe {k} recorded as {mode:?}"),
                        expected: "bool".into(),
                        got: dtype.name().into(),
                    });
                }
                let n = p.range.len() * steps;
                let dense = |want: DType| {
                    if mode == RecordMode::Dense && dtype == want {
                        n
                    } else {
                        0
                    }
                };
                Ok(Recording {
                    dtype,
                    mode,
                    f32_values: Vec::with_capacity(dense(DType::F32)),
                    bool_values: Vec::with_capacity(dense(DType::Bool)),
                    event_steps: Vec::new(),
                    event_indices: Vec::new(),
                    counts: Vec::with_capacity(if mode == RecordMode::Count { steps } else { 0 }),
                })
            })
            .collect()
    }

    /// Runs the steps of `spec` in order, recording the probes after each step. After each
    /// step `keep_going(steps done)` is asked whether to go on (an interrupt stops the run
    /// between two steps, leaving every node consistent). Returns the number of steps run.
    pub fn run(
        &self,
        nodes: &mut Nodes<'_>,
        spec: RunSpec<'_>,
        recordings: &mut [Recording],
        mut keep_going: impl FnMut(usize) -> bool,
    ) -> Result<usize> {
        self.validate(nodes)?;
        if spec.operands.len() != spec.indices.len() * self.n_operands {
            return Err(Error::length(
                "operands",
                spec.indices.len() * self.n_operands,
                spec.operands.len(),
            ));
        }
        if recordings.len() != self.probes.len() {
            return Err(Error::length(
                "recordings",
                self.probes.len(),
                recordings.len(),
            ));
        }
        let mut buffers: Vec<Vec<f32>> = self.buffer_sizes.iter().map(|&n| vec![0.0; n]).collect();
        let mut scratch: Vec<bool> = Vec::new();
        let mut scratch_f32: Vec<f32> = Vec::new();
        for (k, &i) in spec.indices.iter().enumerate() {
            let ctx = StepContext::new(i, self.dt);
            let operands = &spec.operands[k * self.n_operands..(k + 1) * self.n_operands];
            let mut pc = 0; // the instruction under way
            while pc < self.instrs.len() {
                if self.fused[pc] {
                    self.execute_fused(
                        &self.instrs[pc],
                        &self.instrs[pc + 1],
                        nodes,
                        &mut buffers,
                    )?;
                    pc += 2;
                    continue;
                }
                self.execute(
                    &self.instrs[pc],
                    nodes,
                    &ctx,
                    operands,
                    &mut buffers,
                    &mut scratch,
                    &mut scratch_f32,
                )?;
                pc += 1;
            }
            if spec.check_finite {
                self.check_finite(nodes, i)?;
            }
            for (probe, rec) in self.probes.iter().zip(recordings.iter_mut()) {
                match (read_slice(nodes, &buffers, probe)?, rec.mode) {
                    (VarData::F32(x), _) => rec.f32_values.extend_from_slice(x),
                    (VarData::Bool(x), RecordMode::Dense) => rec.bool_values.extend_from_slice(x),
                    (VarData::Bool(x), RecordMode::Events) => {
                        crate::events::for_each_spike(x, |j| {
                            rec.event_steps.push(k as u32);
                            rec.event_indices.push(j as u32);
                        })
                    }
                    (VarData::Bool(x), RecordMode::Count) => {
                        let mut n = 0u32;
                        crate::events::for_each_spike(x, |_| n += 1);
                        rec.counts.push(n);
                    }
                }
            }
            if !keep_going(k + 1) {
                return Ok(k + 1);
            }
        }
        Ok(spec.indices.len())
    }

    /// [`Program::run`] on the engine's thread pool, watched from the calling thread: every
    /// `every` the caller's `watch(steps done)` is asked whether to go on (a Ctrl-C check, a
    /// progress bar), and a `false` stops the run after the step under way. The loop runs on a
    /// pool thread, so its parallel kernels start without a hand-over between threads on each
    /// step; the caller's thread does nothing but watch. `watch` is not called after the run
    /// ends. Returns the number of steps run.
    pub fn run_watched(
        &self,
        nodes: &mut Nodes<'_>,
        spec: RunSpec<'_>,
        recordings: &mut [Recording],
        every: Duration,
        mut watch: impl FnMut(usize) -> bool,
    ) -> Result<usize> {
        let done = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let (finished, ended) = mpsc::channel::<()>();
            let (done, stop) = (&done, &stop);
            let worker = scope.spawn(move || {
                let result = parallel::install(|| {
                    self.run(nodes, spec, recordings, |k| {
                        done.store(k, Ordering::Relaxed);
                        !stop.load(Ordering::Relaxed)
                    })
                });
                // the receiver lives until the worker is joined; a failed send changes nothing
                let _ = finished.send(());
                result
            });
            while let Err(RecvTimeoutError::Timeout) = ended.recv_timeout(every) {
                if !stop.load(Ordering::Relaxed) && !watch(done.load(Ordering::Relaxed)) {
                    stop.store(true, Ordering::Relaxed);
                }
            }
            match worker.join() {
                Ok(result) => result?,
                Err(_) => Err(Error::Structure(
                    "the run's thread stopped abnormally".into(),
                )),
            }
        })
    }

    /// `Comm` into a buffer that only the following `Syn` reads, as one task per output
    /// chunk: the chunk's sums, then the synapse's update of that chunk. The same arithmetic
    /// in the same order as running the two apart, with one round of tasks instead of two and
    /// the chunk still in cache when the synapse reads it.
    fn execute_fused(
        &self,
        comm: &Instr,
        syn: &Instr,
        nodes: &mut Nodes<'_>,
        buffers: &mut [Vec<f32>],
    ) -> Result<()> {
        let (Instr::Comm { comm, input, out }, Instr::Syn { syn, .. }) = (comm, syn) else {
            return Err(Error::Structure(
                "program: a fused pair is not Comm, Syn".into(),
            ));
        };
        let op = nodes.comms[*comm];
        let active = match (op, read_slice(nodes, buffers, input)?) {
            (CommRef::Event(c), VarData::Bool(s)) => c.active_rows(s)?,
            (CommRef::Float(c), VarData::F32(x)) => c.active_rows(x)?,
            (_, x) => {
                return Err(Error::DType {
                    param: "comm input".into(),
                    expected: op.input_dtype().name().into(),
                    got: x.dtype().name().into(),
                })
            }
        };
        let mut y = std::mem::take(&mut buffers[*out]);
        let (update, g_chunks) = nodes.syns[*syn].chunked(self.dt, op.chunk_len());
        let then = |x: &[f32], g: &mut [f32]| update.run(g, x);
        let result = match op {
            CommRef::Event(c) => c.scatter_then(&active, &mut y, g_chunks, then),
            CommRef::Float(c) => c.scatter_then(&active, &mut y, g_chunks, then),
        };
        buffers[*out] = y;
        result
    }

    #[allow(clippy::too_many_arguments)]
    fn execute(
        &self,
        instr: &Instr,
        nodes: &mut Nodes<'_>,
        ctx: &StepContext,
        operands: &[f32],
        buffers: &mut [Vec<f32>],
        scratch: &mut Vec<bool>,
        scratch_f32: &mut Vec<f32>,
    ) -> Result<()> {
        match instr {
            Instr::Comm { comm, input, out } => {
                let mut y = std::mem::take(&mut buffers[*out]);
                let result = match (nodes.comms[*comm], read_slice(nodes, buffers, input)?) {
                    (CommRef::Event(c), VarData::Bool(s)) => c.apply(s, &mut y),
                    (CommRef::Float(c), VarData::F32(x)) => c.apply(x, &mut y),
                    (_, x) => Err(Error::DType {
                        param: "comm input".into(),
                        expected: nodes.comms[*comm].input_dtype().name().into(),
                        got: x.dtype().name().into(),
                    }),
                };
                buffers[*out] = y;
                result
            }
            Instr::Syn { syn, input } => {
                let x = input.map(|b| buffers[b].as_slice());
                nodes.syns[*syn].update(self.dt, x)
            }
            Instr::Neuron {
                pop,
                input,
                currents,
            } => {
                let input = match input {
                    NeuronInput::None => Input::None,
                    NeuronInput::Const(x) => Input::Scalar(*x),
                    NeuronInput::Operand(k) => Input::Scalar(operands[*k]),
                };
                let Nodes { pops, syns, .. } = nodes;
                let currents: Vec<Current<'_>> = currents
                    .iter()
                    .map(|(out, syn)| Current {
                        out: *out,
                        g: syns[*syn].g(),
                    })
                    .collect();
                pops[*pop].update(ctx, input, &currents)
            }
            Instr::Push { delay, input } => {
                // copied first: the value may come from the delay itself
                match read_slice(nodes, buffers, input)? {
                    VarData::Bool(x) => {
                        scratch.clear();
                        scratch.extend_from_slice(x);
                        nodes.delays[*delay].push(VarData::Bool(scratch))
                    }
                    VarData::F32(x) => {
                        scratch_f32.clear();
                        scratch_f32.extend_from_slice(x);
                        nodes.delays[*delay].push(VarData::F32(scratch_f32))
                    }
                }
            }
        }
    }
}

/// Which `Comm` instructions fuse with the `Syn` after them: the `Syn` takes the `Comm`'s
/// buffer and nothing else (no other instruction, no probe) reads that buffer.
fn fusable(instrs: &[Instr], probes: &[Slice]) -> Vec<bool> {
    let reads = |b: usize, s: &Slice| s.vector == Vector::Current(b);
    let read_elsewhere = |b: usize, except: usize| {
        probes.iter().any(|p| reads(b, p))
            || instrs.iter().enumerate().any(|(k, instr)| {
                k != except
                    && match instr {
                        Instr::Comm { input, .. } | Instr::Push { input, .. } => reads(b, input),
                        Instr::Syn { input, .. } => *input == Some(b),
                        Instr::Neuron { .. } => false,
                    }
            })
    };
    (0..instrs.len())
        .map(|k| match (&instrs[k], instrs.get(k + 1)) {
            (Instr::Comm { out, .. }, Some(Instr::Syn { input: Some(b), .. })) => {
                out == b && !read_elsewhere(*b, k + 1)
            }
            _ => false,
        })
        .collect()
}

fn read_var<'b>(
    nodes: &'b Nodes<'_>,
    kind: NodeKind,
    node: usize,
    name: &str,
) -> Result<VarData<'b>> {
    let missing = || Error::Structure(format!("program: no {kind:?} node {node}"));
    match kind {
        NodeKind::Pop => nodes.pops.get(node).ok_or_else(missing)?.var(name),
        NodeKind::Syn => nodes.syns.get(node).ok_or_else(missing)?.var(name),
        NodeKind::Delay => nodes.delays.get(node).ok_or_else(missing)?.var(name),
    }
}

fn read_slice<'b>(nodes: &'b Nodes<'_>, buffers: &'b [Vec<f32>], s: &Slice) -> Result<VarData<'b>> {
    let full = match &s.vector {
        Vector::Spike(p) => VarData::Bool(nodes.pops[*p].spike()),
        Vector::SynG(syn) => VarData::F32(nodes.syns[*syn].g()),
        Vector::Delayed { delay, steps } => match nodes.delays[*delay].read_steps(*steps)? {
            DelayRead::Stored(x) => x,
            DelayRead::Live => return Err(Error::parameter("delay steps", "at least 1", 0)),
        },
        Vector::Current(b) => VarData::F32(&buffers[*b]),
        Vector::Var { kind, node, name } => read_var(nodes, *kind, *node, name)?,
    };
    Ok(match full {
        VarData::F32(x) => VarData::F32(&x[s.range.clone()]),
        VarData::Bool(x) => VarData::Bool(&x[s.range.clone()]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(vector: Vector, len: usize) -> Slice {
        Slice {
            vector,
            range: 0..len,
        }
    }

    /// The seed network's step: E and I projections from the delay, the neurons, the push.
    fn seed_instrs() -> Vec<Instr> {
        let spk = |a, b| Slice {
            vector: Vector::Delayed { delay: 0, steps: 1 },
            range: a..b,
        };
        vec![
            Instr::Comm {
                comm: 0,
                input: spk(0, 3200),
                out: 0,
            },
            Instr::Syn {
                syn: 0,
                input: Some(0),
            },
            Instr::Comm {
                comm: 1,
                input: spk(3200, 4000),
                out: 1,
            },
            Instr::Syn {
                syn: 1,
                input: Some(1),
            },
            Instr::Neuron {
                pop: 0,
                input: NeuronInput::Const(20.0),
                currents: vec![(SynOut::Coba { e: 0.0 }, 0), (SynOut::Coba { e: -80.0 }, 1)],
            },
            Instr::Push {
                delay: 0,
                input: slice(Vector::Spike(0), 4000),
            },
        ]
    }

    #[test]
    fn a_comm_fuses_with_the_synapse_that_alone_reads_its_buffer() {
        let instrs = seed_instrs();
        assert_eq!(
            fusable(&instrs, &[]),
            [true, false, true, false, false, false]
        );
        // a probe on buffer 1 (the I current is recorded): that pair stays apart
        let probed = [slice(Vector::Current(1), 4000)];
        assert_eq!(
            fusable(&instrs, &probed),
            [true, false, false, false, false, false]
        );
        // another instruction reading buffer 0: that pair stays apart
        let mut shared = seed_instrs();
        shared.push(Instr::Syn {
            syn: 2,
            input: Some(0),
        });
        assert_eq!(fusable(&shared, &[])[..3], [false, false, true]);
        // a synapse fed from another buffer than the comm before it
        let mut crossed = seed_instrs();
        crossed[1] = Instr::Syn {
            syn: 0,
            input: Some(1),
        };
        assert!(!fusable(&crossed, &[])[0]);
    }
}
