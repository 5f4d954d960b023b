"""Checkpoints: weights in safetensors, the model configuration and a SHA-256 beside them in JSON.

``save_checkpoint("runs/gan", {"generator": G, "discriminator": D}, card={...})`` writes
``runs/gan.safetensors`` (tensors named ``generator.net.0.weight`` …) and ``runs/gan.json``:

.. code-block:: text

    {"format": "gancourse-checkpoint-1",
     "sha256": "…",                       # of the .safetensors file
     "models": {"generator": {"class": "MLPGenerator", "config": {"latent_dim": 100, …}}, …},
     "card": {…}}                         # free-form: training config, seed, steps, metrics …

Nothing is ever unpickled: safetensors holds raw tensors only, and models are rebuilt from the JSON
config through :data:`gancourse.models.MODEL_REGISTRY`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import torch
from safetensors.torch import load_file, save_file

from .models.base import MODEL_REGISTRY, CourseModule

FORMAT = "gancourse-checkpoint-1"


class CheckpointError(ValueError):
    """A checkpoint is missing, corrupted, or does not fit the model it is loaded into."""


@dataclass
class Checkpoint:
    """Loaded models by role (``generator``, ``discriminator`` …) and the checkpoint's card."""

    models: dict[str, CourseModule]
    card: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, role: str) -> CourseModule:
        return self.models[role]


def _paths(path: str | Path) -> tuple[Path, Path]:
    path = Path(path)
    stem = path.with_suffix("") if path.suffix in {".safetensors", ".json"} else path
    return stem.with_name(stem.name + ".safetensors"), stem.with_name(stem.name + ".json")


def sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _is_plain(value: Any) -> bool:
    try:
        json.dumps(value)
        return True
    except TypeError:
        return False


def save_checkpoint(path: str | Path, models: Mapping[str, CourseModule], card: Mapping[str, Any] | None = None,
                    dtype: torch.dtype | None = None) -> Path:
    """Save ``models`` (role → module) to ``path.safetensors`` with ``path.json`` beside it.

    ``dtype=torch.float16`` stores floating-point tensors at half precision (half the size; the zoo does
    this); loading casts them back to the model's dtype.  Returns the path of the ``.safetensors`` file.
    """
    weights_path, meta_path = _paths(path)
    weights_path.parent.mkdir(parents=True, exist_ok=True)
    tensors: dict[str, torch.Tensor] = {}
    meta_models: dict[str, Any] = {}
    for role, module in models.items():
        if "." in role:
            raise ValueError(f"Role names cannot contain '.', got {role!r}.")
        if not isinstance(module, CourseModule):
            raise TypeError(f"{role!r} is a {type(module).__name__}; only gancourse models can be saved.")
        try:
            json.dumps(module.config)
        except TypeError:
            plain = ", ".join(k for k, v in module.config.items() if not _is_plain(v))
            raise CheckpointError(
                f"{role!r} ({type(module).__name__}) cannot be saved: a checkpoint rebuilds a model from plain "
                f"constructor arguments, but {plain} {'is' if ',' not in plain else 'are'} not (a model, a "
                "distribution …). Save the models it wraps instead, with its numbers in the card.") from None
        meta_models[role] = {"class": type(module).__name__, "config": module.config}
        for name, t in module.state_dict().items():
            t = t.detach().to("cpu")
            if dtype is not None and t.is_floating_point():
                t = t.to(dtype)
            tensors[f"{role}.{name}"] = t.contiguous()
    save_file(tensors, str(weights_path))
    meta = {"format": FORMAT, "sha256": sha256(weights_path), "models": meta_models, "card": dict(card or {})}
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    return weights_path


def read_metadata(path: str | Path) -> dict[str, Any]:
    """The JSON written beside a checkpoint."""
    _, meta_path = _paths(path)
    if not meta_path.exists():
        raise CheckpointError(f"No checkpoint metadata at {meta_path}; a checkpoint is a .safetensors file "
                              "with a .json of the same name beside it (see save_checkpoint).")
    try:
        meta = json.loads(meta_path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise CheckpointError(f"{meta_path} is not valid JSON ({err}): the file is truncated or damaged. "
                              "Re-download or re-create the checkpoint.") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        found = meta.get("format") if isinstance(meta, dict) else type(meta).__name__
        raise CheckpointError(f"{meta_path} is not a {FORMAT} file (format={found!r}).")
    missing = [k for k in ("sha256", "models") if k not in meta]
    if missing:
        raise CheckpointError(f"{meta_path} lacks {', '.join(map(repr, missing))}: it was not written by "
                              "save_checkpoint or was edited by hand; re-create the checkpoint.")
    return meta


def load_checkpoint(path: str | Path, models: Mapping[str, CourseModule] | None = None,
                    map_location: str | torch.device = "cpu", verify: bool = True) -> Checkpoint:
    """Load a checkpoint written by :func:`save_checkpoint`.

    Args:
        path: the checkpoint path, with or without ``.safetensors``.
        models: modules to load into (role → module). Each must be of the saved class and
            configuration. If omitted, the models are built from the saved configuration.
        map_location: device for the loaded tensors.
        verify: check the file's SHA-256 against the one recorded in the JSON.

    Raises:
        CheckpointError: the files are missing, the hash differs, or a model does not match.
    """
    weights_path, _ = _paths(path)
    meta = read_metadata(path)
    if not weights_path.exists():
        raise CheckpointError(f"Checkpoint weights {weights_path} are missing.")
    if verify and sha256(weights_path) != meta["sha256"]:
        raise CheckpointError(f"SHA-256 of {weights_path} does not match the one recorded in its JSON: "
                              "the file is corrupted or was changed. Re-download or re-create it.")
    tensors = load_file(str(weights_path), device=str(map_location))
    out: dict[str, CourseModule] = {}
    roles = list(models) if models is not None else list(meta["models"])
    for role in roles:
        if role not in meta["models"]:
            raise CheckpointError(f"The checkpoint has no {role!r}; it holds {', '.join(meta['models'])}.")
        saved = meta["models"][role]
        if models is not None:
            module = models[role]
            try:
                expected = type(module).complete_config(**saved["config"])
            except TypeError:
                expected = saved["config"]
            if type(module).__name__ != saved["class"] or module.config != expected:
                raise CheckpointError(
                    f"Cannot load {role!r}: the checkpoint holds {saved['class']}({saved['config']}) but the "
                    f"model is {type(module).__name__}({getattr(module, 'config', '?')}). Build the model with "
                    "the checkpoint's configuration, or call load_checkpoint(path) without models."
                )
        else:
            if saved["class"] not in MODEL_REGISTRY:
                raise CheckpointError(f"Unknown model class {saved['class']!r} in {weights_path}.")
            try:
                module = MODEL_REGISTRY[saved["class"]](**saved["config"])
            except TypeError as err:
                raise CheckpointError(f"Cannot rebuild {role!r} as {saved['class']}({saved['config']}) from "
                                      f"{weights_path}: {err}. The JSON was edited or written by another version.") from None
        prefix = role + "."
        state = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
        try:
            module.load_state_dict(state, strict=True)
        except RuntimeError as err:
            raise CheckpointError(f"Weights of {role!r} in {weights_path} do not fit the model: {err}") from err
        out[role] = module.to(map_location).eval()
    return Checkpoint(out, meta.get("card", {}))
