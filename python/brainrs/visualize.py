"""``bp.visualize``: plots of simulation results (matplotlib, the ``plot`` extra)."""

import numpy as np

__all__ = ["raster_plot"]


def raster_plot(ts, sp_matrix, ax=None, marker=".", markersize=2, color="k",
                xlabel="Time (ms)", ylabel="Neuron index", xlim=None, ylim=None, title=None,
                show=False, **kwargs):
    """Dots at (time, neuron) for every spike of ``sp_matrix`` (steps x neurons, bool).

    ``ts`` are the times of the rows in ms. Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt

    from .errors import ShapeError

    sp = np.asarray(sp_matrix)
    ts = np.asarray(ts)
    if sp.ndim != 2 or ts.shape != (sp.shape[0],):
        raise ShapeError(
            f"raster_plot needs ts of shape (steps,) and sp_matrix of shape (steps, neurons), "
            f"got ts {ts.shape} and sp_matrix {sp.shape}"
        )
    steps, neurons = np.nonzero(sp)
    if ax is None:
        ax = plt.gca()
    ax.plot(ts[steps], neurons, marker, markersize=markersize, color=color, **kwargs)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_xlim(xlim if xlim is not None else (ts[0], ts[-1]) if len(ts) else None)
    if ylim is not None:
        ax.set_ylim(ylim)
    if title:
        ax.set_title(title)
    if show:
        plt.show()
    return ax
