"""The rule every parity skip follows: loud locally, a failure under CI."""

import sys

import pytest

from tests.parity.conftest import skip_or_fail


def test_skip_or_fail_skips_loudly_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PARITY SKIPPED: no TensorFlow"):
        skip_or_fail("no TensorFlow")


@pytest.mark.skipif(sys.version_info < (3, 10), reason="Keras 3 needs Python >= 3.10: parity may skip there")
def test_skip_or_fail_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="PARITY FAILED"):
        skip_or_fail("no TensorFlow")


def test_x64_is_on_only_inside_the_fixture(jax_x64):
    import jax
    import jax.numpy as jnp

    assert jnp.ones(2, dtype="float64").dtype == "float64"
    assert jax.config.jax_enable_x64
