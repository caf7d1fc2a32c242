//! Python classes over the engine's node types, one per built-in node. Each is a thin wrapper:
//! argument conversion, a call into `brainrs`, result conversion. The BrainPy-shaped behaviour
//! (node tree, Variables, reset traversal) is the Python package's job.

use brainrs::{
    DType, DelayRead, EventJitFPHomoLinear, Expon, Generator, Initializer, Input, JitFPHomoLinear,
    Lif, LifModel, LifParams, NeuronGroup, Stateful, StepContext, SynOut, VarDelay,
};
use numpy::PyArray1;
use pyo3::prelude::*;

use crate::convert::{get_var, set_var, to_numpy, var_dtype, Array};
use crate::errors::{to_py, IntoPyResult};

/// Adds the variable protocol shared by every stateful node to a class's `#[pymethods]`.
macro_rules! stateful_class {
    ($ty:ident { $($methods:tt)* }) => {
        #[pymethods]
        impl $ty {
            $($methods)*

            /// The names of the node's variables.
            fn var_names(&self) -> Vec<&'static str> {
                self.inner.var_names()
            }

            /// A copy of a variable's values (flat).
            fn get_var<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
                get_var(py, &self.inner, name)
            }

            /// Writes a variable (flat, same dtype and length) or raises without changing it.
            fn set_var(&mut self, name: &str, value: &Bound<'_, PyAny>) -> PyResult<()> {
                set_var(&mut self.inner, name, value)
            }

            /// The variable's shape as the engine holds it.
            fn var_shape(&self, name: &str) -> PyResult<Vec<usize>> {
                self.inner.var_shape(name).py()
            }

            /// The variable's NumPy dtype name.
            fn var_dtype(&self, name: &str) -> PyResult<&'static str> {
                var_dtype(&self.inner, name)
            }

            /// The node's local reset, drawing from `rng` where it draws at all.
            fn reset_state(&mut self, rng: &mut PyGenerator) {
                self.inner.reset_state(&mut rng.inner)
            }
        }
    };
}

/// The engine's random generator (`bm.random`'s state).
#[pyclass(module = "brainrs._core", name = "Generator")]
pub struct PyGenerator {
    pub inner: Generator,
}

#[pymethods]
impl PyGenerator {
    #[new]
    fn new(seed: u64) -> Self {
        PyGenerator {
            inner: Generator::new(seed),
        }
    }

    /// Restarts the stream from `seed`.
    fn seed(&mut self, seed: u64) {
        self.inner.reseed(seed)
    }

    /// The seed of the current stream.
    fn current_seed(&self) -> u64 {
        self.inner.seed()
    }

    /// Position in the stream (words consumed).
    fn word_pos(&self) -> u128 {
        self.inner.word_pos()
    }

    fn set_word_pos(&mut self, pos: u128) {
        self.inner.set_word_pos(pos)
    }

    /// `n` float32 draws from Normal(mean, scale).
    fn normal<'py>(
        &mut self,
        py: Python<'py>,
        mean: f32,
        scale: f32,
        n: usize,
    ) -> Bound<'py, PyArray1<f32>> {
        let mut out = vec![0.0; n];
        self.inner.fill_normal(mean, scale, &mut out);
        PyArray1::from_vec(py, out)
    }

    /// `n` float32 draws from Uniform[low, high).
    fn uniform<'py>(
        &mut self,
        py: Python<'py>,
        low: f32,
        high: f32,
        n: usize,
    ) -> Bound<'py, PyArray1<f32>> {
        let mut out = vec![0.0; n];
        self.inner.fill_uniform(low, high, &mut out);
        PyArray1::from_vec(py, out)
    }
}

/// A built-in initializer (`bp.init.Normal`, ...).
#[pyclass(module = "brainrs._core", name = "Initializer")]
#[derive(Clone)]
pub struct PyInitializer {
    pub inner: Initializer,
}

fn seeded(init: Initializer, seed: Option<u64>) -> PyInitializer {
    PyInitializer {
        inner: match seed {
            Some(s) => init.with_seed(s),
            None => init,
        },
    }
}

#[pymethods]
impl PyInitializer {
    #[staticmethod]
    fn zero() -> Self {
        PyInitializer {
            inner: Initializer::zero(),
        }
    }

    #[staticmethod]
    fn constant(value: f32) -> PyResult<Self> {
        Ok(PyInitializer {
            inner: Initializer::constant(value).py()?,
        })
    }

    #[staticmethod]
    #[pyo3(signature = (mean, scale, seed=None))]
    fn normal(mean: f32, scale: f32, seed: Option<u64>) -> PyResult<Self> {
        Ok(seeded(Initializer::normal(mean, scale).py()?, seed))
    }

    #[staticmethod]
    #[pyo3(signature = (low, high, seed=None))]
    fn uniform(low: f32, high: f32, seed: Option<u64>) -> PyResult<Self> {
        Ok(seeded(Initializer::uniform(low, high).py()?, seed))
    }

    /// `n` float32 values, drawn from `rng` unless the initializer has its own seed.
    fn fill<'py>(
        &mut self,
        py: Python<'py>,
        n: usize,
        rng: &mut PyGenerator,
    ) -> Bound<'py, PyArray1<f32>> {
        let mut out = vec![0.0; n];
        self.inner.fill(&mut out, &mut rng.inner);
        PyArray1::from_vec(py, out)
    }
}

fn lif_model(name: &str) -> PyResult<LifModel> {
    Ok(match name {
        "Lif" => LifModel::Lif,
        "LifLTC" => LifModel::LifLtc,
        "LifRef" => LifModel::LifRef,
        "LifRefLTC" => LifModel::LifRefLtc,
        other => {
            return Err(to_py(brainrs::Error::unknown_name(
                "LIF model",
                other,
                &["Lif", "LifLTC", "LifRef", "LifRefLTC"],
            )))
        }
    })
}

/// A LIF-family neuron group.
#[pyclass(module = "brainrs._core", name = "Lif")]
pub struct PyLif {
    pub(crate) inner: Lif,
}

stateful_class!(PyLif {
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (model, size, v_rest, v_reset, v_th, r, tau, tau_ref, v_initializer, ref_var, rng))]
    fn new(
        model: &str,
        size: usize,
        v_rest: f32,
        v_reset: f32,
        v_th: f32,
        r: f32,
        tau: f32,
        tau_ref: f32,
        v_initializer: &PyInitializer,
        ref_var: bool,
        rng: &mut PyGenerator,
    ) -> PyResult<Self> {
        let params = LifParams { v_rest, v_reset, v_th, r, tau, tau_ref };
        let inner = Lif::new(lif_model(model)?, size, params, v_initializer.inner.clone(), ref_var, &mut rng.inner).py()?;
        Ok(PyLif { inner })
    }

    #[getter]
    fn size(&self) -> usize {
        self.inner.size()
    }

    /// One step at index `i` (t = float32(i) * float32(dt)) with input current `x` (None, a
    /// number or one float32 per neuron) and the registered outputs `(E or None for CUBA, syn)`.
    fn update(&mut self, i: u64, dt: f32, x: &Bound<'_, PyAny>, currents: Vec<(Option<f32>, PyRef<'_, PyExpon>)>) -> PyResult<()> {
        let array;
        let input = if x.is_none() {
            Input::None
        } else if let Ok(v) = x.extract::<f32>() {
            Input::Scalar(v)
        } else {
            array = Array::extract("input", x)?;
            match array.view("input")? {
                brainrs::VarData::F32(v) => Input::Array(v),
                brainrs::VarData::Bool(_) => {
                    return Err(to_py(brainrs::Error::DType { param: "input".into(), expected: "float32".into(), got: "bool".into() }))
                }
            }
        };
        let currents: Vec<brainrs::Current<'_>> = currents
            .iter()
            .map(|(e, syn)| brainrs::Current {
                out: e.map_or(SynOut::Cuba, |e| SynOut::Coba { e }),
                g: syn.inner.g(),
            })
            .collect();
        self.inner.update(&StepContext::new(i, dt), input, &currents).py()
    }

    /// This step's spikes (a copy).
    fn spike<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        to_numpy(py, brainrs::VarData::Bool(self.inner.spike()))
    }
});

/// An exponential synapse (`bp.dyn.Expon`).
#[pyclass(module = "brainrs._core", name = "Expon")]
pub struct PyExpon {
    pub(crate) inner: Expon,
}

stateful_class!(PyExpon {
    #[new]
    fn new(size: usize, tau: f32) -> PyResult<Self> {
        Ok(PyExpon { inner: Expon::new(size, tau).py()? })
    }

    #[getter]
    fn size(&self) -> usize {
        self.inner.size()
    }

    /// Decays g over `dt` ms, then adds `x` (float32, one per g) if given.
    #[pyo3(signature = (dt, x=None))]
    fn update(&mut self, dt: f32, x: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        match x {
            None => self.inner.update(dt, None).py(),
            Some(x) => {
                let array = Array::extract("x", x)?;
                match array.view("x")? {
                    brainrs::VarData::F32(v) => self.inner.update(dt, Some(v)).py(),
                    brainrs::VarData::Bool(_) => Err(to_py(brainrs::Error::DType { param: "x".into(), expected: "float32".into(), got: "bool".into() })),
                }
            }
        }
    }
});

/// A delay of a variable (`bp.VarDelay`).
#[pyclass(module = "brainrs._core", name = "VarDelay")]
pub struct PyVarDelay {
    pub(crate) inner: VarDelay,
}

stateful_class!(PyVarDelay {
    #[new]
    fn new(size: usize, dtype: &str) -> PyResult<Self> {
        let dtype = match dtype {
            "float32" => DType::F32,
            "bool" => DType::Bool,
            other => return Err(to_py(brainrs::Error::DType { param: "target".into(), expected: "float32 or bool".into(), got: other.into() })),
        };
        Ok(PyVarDelay { inner: VarDelay::new(size, dtype) })
    }

    /// Registers entry `name` at `time` ms (None: no delay) for step `dt` ms; returns its steps.
    fn register_entry(&mut self, name: &str, time: Option<f64>, dt: f64) -> PyResult<usize> {
        let steps = VarDelay::steps_for(time, dt).py()?;
        self.inner.register_entry(name, steps).py()?;
        Ok(steps)
    }

    /// `(name, steps)` of every entry.
    fn entries(&self) -> Vec<(String, usize)> {
        self.inner.entries().to_vec()
    }

    /// The stored value of entry `name`, or None when the entry reads the live target.
    fn at<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(match self.inner.at(name).py()? {
            DelayRead::Live => None,
            DelayRead::Stored(x) => Some(to_numpy(py, x)),
        })
    }

    /// Pushes this step's value.
    fn push(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let array = Array::extract("value", value)?;
        self.inner.push(array.view("value")?).py()
    }
});

/// A JIT connectivity class: construction, `apply` for inputs of one element type, `targets`.
macro_rules! jit_class {
    ($py:ident, $engine:ident, $name:literal, $doc:literal,
     accepts $accepted:ident($elem:literal), refuses $refused:ident($other:literal)) => {
        #[doc = $doc]
        #[pyclass(module = "brainrs._core", name = $name, frozen)]
        pub struct $py {
            pub(crate) inner: $engine,
        }

        #[pymethods]
        impl $py {
            #[new]
            fn new(
                num_in: usize,
                num_out: usize,
                prob: f32,
                weight: f32,
                seed: u64,
            ) -> PyResult<Self> {
                Ok($py {
                    inner: $engine::new(num_in, num_out, prob, weight, seed).py()?,
                })
            }

            /// `W @ x` for a vector `x` of `num_in` values of the accepted element type.
            fn apply<'py>(
                &self,
                py: Python<'py>,
                x: &Bound<'py, PyAny>,
            ) -> PyResult<Bound<'py, PyArray1<f32>>> {
                let array = Array::extract("x", x)?;
                let mut out = vec![0.0; self.inner.conn().num_out()];
                match array.view("x")? {
                    brainrs::VarData::$accepted(v) => self.inner.apply(v, &mut out).py()?,
                    brainrs::VarData::$refused(_) => {
                        return Err(to_py(brainrs::Error::DType {
                            param: "x".into(),
                            expected: $elem.into(),
                            got: $other.into(),
                        }))
                    }
                }
                Ok(PyArray1::from_vec(py, out))
            }

            /// The sorted targets of input `row`.
            fn targets(&self, row: usize) -> PyResult<Vec<usize>> {
                self.inner.conn().targets(row).py()
            }
        }
    };
}

jit_class!(PyEventJit, EventJitFPHomoLinear, "EventJitFPHomoLinear",
    "Event-driven JIT connectivity with one weight (`bp.dnn.EventJitFPHomoLinear`).",
    accepts Bool("bool (spikes)"), refuses F32("float32"));

jit_class!(PyJit, JitFPHomoLinear, "JitFPHomoLinear",
    "JIT connectivity with one weight for float input (`bp.dnn.JitFPHomoLinear`).",
    accepts F32("float32"), refuses Bool("bool"));
