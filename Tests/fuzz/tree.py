"""Packed trees, as the fuzz-build target reads them: the text before the first
`#> path` line is kustomization.yaml; each `#> path` line starts another file."""
import os

SEPARATOR = b"#> "


def unpack(data):
    files = {}
    name = "kustomization.yaml"
    content = []
    for line in data.split(b"\n"):
        if line.startswith(SEPARATOR):
            files[name] = b"\n".join(content)
            name = line[len(SEPARATOR):].decode("utf-8", "replace")
            content = []
        else:
            content.append(line)
    files[name] = b"\n".join(content)
    return {k: v for k, v in files.items() if k and not k.startswith("/") and ".." not in k}


def pack(files):
    out = files.get("kustomization.yaml", b"")
    for name in sorted(files):
        if name == "kustomization.yaml":
            continue
        if out and not out.endswith(b"\n"):
            out += b"\n"
        out += SEPARATOR + name.encode() + b"\n" + files[name]
    return out


def write(files, root):
    for name, content in files.items():
        path = os.path.join(root, name)
        if os.path.isdir(path):
            continue
        os.makedirs(os.path.dirname(path) or root, exist_ok=True)
        try:
            with open(path, "wb") as f:
                f.write(content)
        except (IsADirectoryError, NotADirectoryError):
            pass


def read(root):
    files = {}
    for base, _, names in os.walk(root):
        for name in names:
            path = os.path.join(base, name)
            if name.startswith("expected") or os.path.islink(path):
                continue
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = f.read()
    return files
