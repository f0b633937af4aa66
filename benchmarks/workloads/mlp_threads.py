"""(b') The MLP of (b), training only, once with one compute thread per library and once with
each library's default threads while another program keeps every core busy.

A learner's laptop is rarely idle; multi-threaded BLAS and thread pools can lose most of
their speed when other work shares the CPU. `run.py` caps the threads (`THREADS`) or starts
the competing load (`COMPETING_LOAD`) around each measurement of these variants.
"""

from workloads import mlp

LIBRARIES = ("nanokeras", "nanokeras-fast", "keras-jax", "keras-tensorflow", "torch")


def _variant(key, cpu_key=None):
    def run(library):
        result = mlp.run(library)
        out = {key: result["train_sps"]}
        if cpu_key and "train_cpu_sps" in result:
            out[cpu_key] = result["train_cpu_sps"]
        return out
    return run


class OneThread:
    TITLE = "(b) MLP, one thread"
    LIBRARIES = LIBRARIES
    METRICS = (("train_sps_one_thread", "(b) MLP training, one thread each", "samples/s", "higher"),
               # steadier than wall time when other programs share the CPU
               ("train_cpu_sps_one_thread", "(b) MLP training, one thread each, per CPU second", "samples/s",
                "higher"))
    THREADS = 1
    run = staticmethod(_variant("train_sps_one_thread", "train_cpu_sps_one_thread"))


class UnderLoad:
    TITLE = "(b) MLP, default threads, busy CPU"
    LIBRARIES = LIBRARIES
    METRICS = (("train_sps_loaded", "(b) MLP training, default threads, every core busy with other work",
                "samples/s", "higher"),)
    COMPETING_LOAD = True
    run = staticmethod(_variant("train_sps_loaded"))


class OneThreadUnderLoad:
    TITLE = "(b) MLP, one thread, busy CPU"
    LIBRARIES = ("nanokeras",)
    METRICS = (("train_sps_loaded_one_thread", "(b) MLP training, one thread, every core busy with other work",
                "samples/s", "higher"),)
    THREADS = 1
    COMPETING_LOAD = True
    run = staticmethod(_variant("train_sps_loaded_one_thread"))
