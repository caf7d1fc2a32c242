//! A whole network owned by the engine, for Rust users: populations, synapses, delays and
//! projections in flat arenas addressed by typed ids, and a validated step program.
//!
//! The Python package drives the same model types node by node (eager mode); this is the
//! embedding API (see the crate's front page and `examples/ei_net.rs`).

use crate::delay::{DelayRead, VarDelay};
use crate::error::{check_positive, Error, Result};
use crate::jitconn::{EventJitFPHomoLinear, JitFPHomoLinear};
use crate::neuron::{Input, NeuronGroup, StepContext};
use crate::output::{Current, SynOut};
use crate::random::Generator;
use crate::state::{DType, Stateful, VarData, VarDataMut};
use crate::synapse::Expon;

/// A neuron population of a [`Network`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PopId(u32);
/// A delay of a [`Network`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DelayId(u32);
/// A projection of a [`Network`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProjId(u32);

/// The communication operator of a projection.
#[derive(Debug, Clone, PartialEq)]
pub enum Comm {
    EventJitFPHomoLinear(EventJitFPHomoLinear),
    JitFPHomoLinear(JitFPHomoLinear),
}

impl Comm {
    fn num_in(&self) -> usize {
        match self {
            Comm::EventJitFPHomoLinear(c) => c.conn().num_in(),
            Comm::JitFPHomoLinear(c) => c.conn().num_in(),
        }
    }

    fn num_out(&self) -> usize {
        match self {
            Comm::EventJitFPHomoLinear(c) => c.conn().num_out(),
            Comm::JitFPHomoLinear(c) => c.conn().num_out(),
        }
    }

    fn apply(&self, x: VarData<'_>, out: &mut [f32], scratch: &mut Vec<f32>) -> Result<()> {
        match (self, x) {
            (Comm::EventJitFPHomoLinear(c), VarData::Bool(s)) => c.apply(s, out),
            (Comm::JitFPHomoLinear(c), VarData::F32(x)) => c.apply(x, out),
            (Comm::JitFPHomoLinear(c), VarData::Bool(s)) => {
                scratch.clear();
                scratch.extend(s.iter().map(|&b| if b { 1.0 } else { 0.0 }));
                c.apply(scratch, out)
            }
            (Comm::EventJitFPHomoLinear(_), VarData::F32(_)) => Err(Error::DType {
                param: "EventJitFPHomoLinear input".into(),
                expected: "bool".into(),
                got: "float32".into(),
            }),
        }
    }
}

/// Where a projection reads its presynaptic spikes.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// The population's spikes of this step (as last updated).
    Spikes(PopId),
    /// An entry of a delay.
    Delay { delay: DelayId, entry: String },
}

/// One operation of a step, in the order the user's `update()` performs them.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `proj(source[start..end])`: the communication operator, then the synapse, then its g is
    /// bound to the post population's output.
    Project {
        proj: ProjId,
        source: Source,
        start: usize,
        end: usize,
    },
    /// The population's update with a constant input current.
    Update { pop: PopId, input: f32 },
    /// `delay(target.spike)`: push the delay's target population's spikes.
    Push { delay: DelayId },
}

#[derive(Debug)]
struct PopSlot {
    name: String,
    group: Box<dyn NeuronGroup>,
    /// Outputs registered on this population: (output, projection whose synapse holds g).
    currents: Vec<(SynOut, ProjId)>,
}

#[derive(Debug)]
struct DelaySlot {
    name: String,
    delay: VarDelay,
    target: PopId,
}

#[derive(Debug)]
struct ProjSlot {
    name: String,
    comm: Comm,
    syn: Expon,
    /// The communication result of this step, reused every step (no allocation in the loop).
    current: Vec<f32>,
}

/// A network: the state of every node plus the program that advances it one step.
#[derive(Debug)]
pub struct Network {
    dt: f32,
    rng: Generator,
    pops: Vec<PopSlot>,
    delays: Vec<DelaySlot>,
    projs: Vec<ProjSlot>,
    /// The step program, validated: every id exists and every delay entry is resolved to steps.
    program: Vec<(Op, usize)>,
    step: u64,
    scratch: Vec<f32>,
}

impl Network {
    /// An empty network with step `dt` (ms, > 0) whose initializers draw from a generator
    /// seeded with `seed`.
    pub fn new(dt: f32, seed: u64) -> Result<Self> {
        Ok(Network {
            dt: check_positive("dt", dt)?,
            rng: Generator::new(seed),
            pops: Vec::new(),
            delays: Vec::new(),
            projs: Vec::new(),
            program: Vec::new(),
            step: 0,
            scratch: Vec::new(),
        })
    }

    /// The step size (ms).
    pub fn dt(&self) -> f32 {
        self.dt
    }

    /// The generator initializers draw from (construction and reset).
    pub fn rng(&mut self) -> &mut Generator {
        &mut self.rng
    }

    /// The generator, read-only (its seed and position).
    pub fn generator(&self) -> &Generator {
        &self.rng
    }

    /// Steps run since construction or the last [`Network::reset_state`].
    pub fn step_index(&self) -> u64 {
        self.step
    }

    /// Sets the index of the next step (a loaded checkpoint's).
    pub(crate) fn set_step_index(&mut self, step: u64) {
        self.step = step;
    }

    fn check_name(&self, name: &str) -> Result<()> {
        let taken = self
            .pops
            .iter()
            .map(|p| &p.name)
            .chain(self.delays.iter().map(|d| &d.name))
            .chain(self.projs.iter().map(|p| &p.name))
            .any(|n| n == name);
        if name.is_empty() || name.contains('.') || taken {
            return Err(Error::parameter(
                "name",
                "a unique, non-empty name without '.'",
                format!("{name:?}"),
            ));
        }
        Ok(())
    }

    /// Adds a neuron population named `name` (an attribute name such as `"N"`).
    pub fn add_neurons(&mut self, name: &str, group: impl NeuronGroup + 'static) -> Result<PopId> {
        self.check_name(name)?;
        self.pops.push(PopSlot {
            name: name.to_owned(),
            group: Box::new(group),
            currents: Vec::new(),
        });
        Ok(PopId(self.pops.len() as u32 - 1))
    }

    /// Adds a delay of `target`'s spikes with entries `(name, time in ms or None)`.
    pub fn add_delay(
        &mut self,
        name: &str,
        target: PopId,
        entries: &[(&str, Option<f64>)],
    ) -> Result<DelayId> {
        self.check_name(name)?;
        let size = self.pop(target)?.group.size();
        let mut delay = VarDelay::new(size, DType::Bool);
        for (entry, time) in entries {
            delay.register_entry(entry, VarDelay::steps_for(*time, f64::from(self.dt))?)?;
        }
        self.delays.push(DelaySlot {
            name: name.to_owned(),
            delay,
            target,
        });
        Ok(DelayId(self.delays.len() as u32 - 1))
    }

    /// Adds a projection (`ProjAlignPost1`): `comm`, then `syn`, whose g acts on `post` through
    /// `out`. Sizes must agree: comm's output, syn and post.
    pub fn add_projection(
        &mut self,
        name: &str,
        comm: Comm,
        syn: Expon,
        out: SynOut,
        post: PopId,
    ) -> Result<ProjId> {
        self.check_name(name)?;
        let post_size = self.pop(post)?.group.size();
        if comm.num_out() != post_size || syn.size() != post_size {
            return Err(Error::Shape {
                param: format!("projection {name}"),
                expected: format!("comm num_out and syn size equal to the post size {post_size}"),
                got: format!("num_out {}, syn size {}", comm.num_out(), syn.size()),
            });
        }
        let id = ProjId(self.projs.len() as u32);
        self.projs.push(ProjSlot {
            name: name.to_owned(),
            comm,
            syn,
            current: vec![0.0; post_size],
        });
        self.pops[post.0 as usize].currents.push((out, id));
        Ok(id)
    }

    fn pop(&self, id: PopId) -> Result<&PopSlot> {
        self.pops
            .get(id.0 as usize)
            .ok_or_else(|| Error::Structure(format!("no population {id:?} in this network")))
    }

    fn source_len(&self, source: &Source) -> Result<usize> {
        match source {
            Source::Spikes(p) => Ok(self.pop(*p)?.group.size()),
            Source::Delay { delay, .. } => Ok(self.delay_slot(*delay)?.delay.size()),
        }
    }

    fn delay_slot(&self, id: DelayId) -> Result<&DelaySlot> {
        self.delays
            .get(id.0 as usize)
            .ok_or_else(|| Error::Structure(format!("no delay {id:?} in this network")))
    }

    /// Sets the step program (the body of `update()`), after checking every op: ids exist,
    /// delay entries are registered, slices fit the source and the projection's input size.
    /// On error the previous program is kept.
    pub fn set_program(&mut self, ops: Vec<Op>) -> Result<()> {
        let mut program = Vec::with_capacity(ops.len());
        for op in ops {
            let steps = match &op {
                Op::Project {
                    proj,
                    source,
                    start,
                    end,
                } => {
                    let p = self.projs.get(proj.0 as usize).ok_or_else(|| {
                        Error::Structure(format!("no projection {proj:?} in this network"))
                    })?;
                    let len = self.source_len(source)?;
                    if start > end || *end > len || end - start != p.comm.num_in() {
                        return Err(Error::Shape {
                            param: format!("input slice of projection {}", p.name),
                            expected: format!(
                                "{} elements within a source of {len}",
                                p.comm.num_in()
                            ),
                            got: format!("[{start}..{end}]"),
                        });
                    }
                    match source {
                        Source::Delay { delay, entry } => {
                            self.delay_slot(*delay)?.delay.entry_steps(entry)?
                        }
                        Source::Spikes(_) => 0,
                    }
                }
                Op::Update { pop, input } => {
                    self.pop(*pop)?;
                    if !input.is_finite() {
                        return Err(Error::parameter("input", "a finite current", input));
                    }
                    0
                }
                Op::Push { delay } => {
                    self.delay_slot(*delay)?;
                    0
                }
            };
            program.push((op, steps));
        }
        self.program = program;
        Ok(())
    }

    /// Runs one step of the program at the current step index.
    pub fn step(&mut self) -> Result<()> {
        let ctx = StepContext::new(self.step, self.dt);
        for (op, steps) in &self.program {
            match op {
                Op::Project {
                    proj,
                    source,
                    start,
                    end,
                } => {
                    let x = match source {
                        Source::Spikes(p) => VarData::Bool(self.pops[p.0 as usize].group.spike()),
                        Source::Delay { delay, .. } => {
                            let slot = &self.delays[delay.0 as usize];
                            match slot.delay.read_steps(*steps)? {
                                DelayRead::Live => {
                                    VarData::Bool(self.pops[slot.target.0 as usize].group.spike())
                                }
                                DelayRead::Stored(x) => x,
                            }
                        }
                    };
                    let x = match x {
                        VarData::Bool(s) => VarData::Bool(&s[*start..*end]),
                        VarData::F32(v) => VarData::F32(&v[*start..*end]),
                    };
                    let p = &mut self.projs[proj.0 as usize];
                    p.comm.apply(x, &mut p.current, &mut self.scratch)?;
                    p.syn.update(self.dt, Some(&p.current))?;
                }
                Op::Update { pop, input } => {
                    let slot = &mut self.pops[pop.0 as usize];
                    let currents: Vec<Current<'_>> = slot
                        .currents
                        .iter()
                        .map(|(out, proj)| Current {
                            out: *out,
                            g: self.projs[proj.0 as usize].syn.g(),
                        })
                        .collect();
                    slot.group.update(&ctx, Input::Scalar(*input), &currents)?;
                }
                Op::Push { delay } => {
                    let slot = &mut self.delays[delay.0 as usize];
                    let spikes = self.pops[slot.target.0 as usize].group.spike();
                    slot.delay.push(VarData::Bool(spikes))?;
                }
            }
        }
        self.step += 1;
        Ok(())
    }

    /// Runs `steps` steps, calling `on_step` after each (to record, count or stop nothing).
    pub fn run(&mut self, steps: u64, mut on_step: impl FnMut(&Network)) -> Result<()> {
        for _ in 0..steps {
            self.step()?;
            on_step(self);
        }
        Ok(())
    }

    /// `bp.reset_state(net)`: every node's local reset (populations redraw V from their
    /// initializers, synapses set g to 0, delays clear their history), and the step index
    /// returns to 0.
    pub fn reset_state(&mut self) {
        for p in &mut self.pops {
            p.group.reset_state(&mut self.rng);
        }
        for d in &mut self.delays {
            d.delay.reset_state(&mut self.rng);
        }
        for p in &mut self.projs {
            p.syn.reset_state(&mut self.rng);
        }
        self.step = 0;
    }

    /// A population's spikes of the last step.
    pub fn spikes(&self, pop: PopId) -> Result<&[bool]> {
        Ok(self.pop(pop)?.group.spike())
    }

    /// Reads a variable by its path: `"N.V"`, `"E.syn.g"`, `"delay.data"`.
    pub fn var(&self, path: &str) -> Result<VarData<'_>> {
        let (node, var) = self.resolve(path)?;
        match node {
            NodeRef::Pop(i) => self.pops[i].group.var(var),
            NodeRef::Delay(i) => self.delays[i].delay.var(var),
            NodeRef::Syn(i) => self.projs[i].syn.var(var),
        }
    }

    /// Borrows a variable for writing by its path (see [`Network::var`]).
    pub fn var_mut(&mut self, path: &str) -> Result<VarDataMut<'_>> {
        let (node, var) = self.resolve(path)?;
        match node {
            NodeRef::Pop(i) => self.pops[i].group.var_mut(var),
            NodeRef::Delay(i) => self.delays[i].delay.var_mut(var),
            NodeRef::Syn(i) => self.projs[i].syn.var_mut(var),
        }
    }

    /// Writes a variable by its path after checking dtype and length.
    pub fn set_var(&mut self, path: &str, value: VarData<'_>) -> Result<()> {
        self.var_mut(path)?.assign(path, value)
    }

    /// The paths of every variable, in node order.
    pub fn var_paths(&self) -> Vec<String> {
        let pops = self.pops.iter().flat_map(|p| {
            p.group
                .var_names()
                .into_iter()
                .map(move |v| format!("{}.{v}", p.name))
        });
        let delays = self.delays.iter().flat_map(|d| {
            d.delay
                .var_names()
                .into_iter()
                .map(move |v| format!("{}.{v}", d.name))
        });
        let syns = self.projs.iter().flat_map(|p| {
            p.syn
                .var_names()
                .into_iter()
                .map(move |v| format!("{}.syn.{v}", p.name))
        });
        pops.chain(delays).chain(syns).collect()
    }

    fn resolve<'p>(&self, path: &'p str) -> Result<(NodeRef, &'p str)> {
        let unknown = || Error::unknown("variable path", path, Vec::<&str>::new());
        let (node, var) = path.rsplit_once('.').ok_or_else(unknown)?;
        if let Some(i) = self.pops.iter().position(|p| p.name == node) {
            return Ok((NodeRef::Pop(i), var));
        }
        if let Some(i) = self.delays.iter().position(|d| d.name == node) {
            return Ok((NodeRef::Delay(i), var));
        }
        if let Some(proj) = node.strip_suffix(".syn") {
            if let Some(i) = self.projs.iter().position(|p| p.name == proj) {
                return Ok((NodeRef::Syn(i), var));
            }
        }
        let paths = self.var_paths();
        Err(Error::unknown(
            "variable path",
            path,
            paths.iter().map(String::as_str),
        ))
    }
}

#[derive(Debug, Clone, Copy)]
enum NodeRef {
    Pop(usize),
    Delay(usize),
    Syn(usize),
}
