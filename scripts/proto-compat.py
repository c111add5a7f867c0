#!/usr/bin/python3
"""Is a new checkpoint.proto wire-compatible with an older one?

    proto-compat.py OLD.desc NEW.desc

OLD.desc and NEW.desc are descriptor sets (protoc --descriptor_set_out) of
the two versions.  A standby one version apart must decode what the active
sends and the other way round (the HA contract in DESIGN.md and the rules at
the top of haproto/checkpoint.proto), so for every message and enum of OLD:

  - the message or enum still exists (a record kind is a message: removing
    one strands the records an older active sends);
  - every field keeps its number, type (and message or enum type) and
    label; a field may go only if its number is reserved in NEW;
  - no field of NEW takes the number of an OLD field under another name and
    type (a reused number), and no OLD field name comes back under another
    number (a renumbered field);
  - a member of a oneof stays in the same oneof (the body of an Envelope
    says which record it carries);
  - every enum value keeps its number; a number is not given another name.

Prints one line per incompatibility and exits 1 when there is one, 0 when
there is none.  New messages, fields, enum values and oneof members are
compatible and listed as such.
"""
import sys

from google.protobuf import descriptor_pb2

FD = descriptor_pb2.FieldDescriptorProto


def load(path):
    fds = descriptor_pb2.FileDescriptorSet()
    with open(path, "rb") as f:
        fds.ParseFromString(f.read())
    msgs, enums = {}, {}
    for fp in fds.file:
        prefix = "." + fp.package if fp.package else ""

        def walk_msg(m, scope):
            name = scope + "." + m.name
            msgs[name] = m
            for e in m.enum_type:
                enums[name + "." + e.name] = e
            for sub in m.nested_type:
                walk_msg(sub, name)

        for m in fp.message_type:
            walk_msg(m, prefix)
        for e in fp.enum_type:
            enums[prefix + "." + e.name] = e
    return msgs, enums


def type_name(f):
    name = FD.Type.Name(f.type)
    if f.type in (FD.TYPE_MESSAGE, FD.TYPE_ENUM):
        name += " " + f.type_name
    return name


def oneof_of(m, f):
    if f.HasField("oneof_index") and not f.proto3_optional:
        return m.oneof_decl[f.oneof_index].name
    return None


def reserved(m, number):
    return any(r.start <= number < r.end for r in m.reserved_range)


def check_message(name, old, new, bad, notes):
    new_by_num = {f.number: f for f in new.field}
    new_by_name = {f.name: f for f in new.field}
    old_nums = {f.number for f in old.field}
    for f in old.field:
        g = new_by_num.get(f.number)
        if g is None:
            if not reserved(new, f.number):
                bad.append(f"{name}.{f.name} = {f.number}: removed without reserving its number")
            h = new_by_name.get(f.name)
            if h is not None:
                bad.append(f"{name}.{f.name}: renumbered {f.number} -> {h.number}")
            continue
        if type_name(f) != type_name(g):
            bad.append(f"{name}: field {f.number} ({f.name}) retyped {type_name(f)} -> {type_name(g)}"
                       + ("" if f.name == g.name else f" under the name {g.name}: a reused number"))
        if f.label != g.label:
            bad.append(f"{name}.{f.name} = {f.number}: label {FD.Label.Name(f.label)} -> {FD.Label.Name(g.label)}")
        if oneof_of(old, f) != oneof_of(new, g):
            bad.append(f"{name}.{f.name} = {f.number}: oneof {oneof_of(old, f)} -> {oneof_of(new, g)}")
        if f.name != g.name and type_name(f) == type_name(g):
            notes.append(f"{name}: field {f.number} renamed {f.name} -> {g.name} (same wire form)")
        h = new_by_name.get(f.name)
        if h is not None and h.number != f.number:
            bad.append(f"{name}.{f.name}: renumbered {f.number} -> {h.number}")
    for g in new.field:
        if g.number not in old_nums:
            if reserved(old, g.number):
                bad.append(f"{name}.{g.name} = {g.number}: reuses a number the older version reserved")
            else:
                notes.append(f"{name}.{g.name} = {g.number}: new field")


def check_enum(name, old, new, bad, notes):
    new_by_num = {v.number: v for v in new.value}
    new_by_name = {v.name: v for v in new.value}
    for v in old.value:
        w = new_by_num.get(v.number)
        h = new_by_name.get(v.name)
        if h is not None and h.number != v.number:
            bad.append(f"{name}.{v.name}: value renumbered {v.number} -> {h.number}")
        elif w is None:
            bad.append(f"{name}.{v.name} = {v.number}: removed")
        elif w.name != v.name:
            bad.append(f"{name}: value {v.number} renamed {v.name} -> {w.name}")
    old_nums = {v.number for v in old.value}
    for w in new.value:
        if w.number not in old_nums:
            notes.append(f"{name}.{w.name} = {w.number}: new value")


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    old_m, old_e = load(argv[1])
    new_m, new_e = load(argv[2])
    bad, notes = [], []
    for name, m in sorted(old_m.items()):
        if name not in new_m:
            bad.append(f"message {name}: removed (a record kind or part of one)")
        else:
            check_message(name, m, new_m[name], bad, notes)
    for name, e in sorted(old_e.items()):
        if name not in new_e:
            bad.append(f"enum {name}: removed")
        else:
            check_enum(name, e, new_e[name], bad, notes)
    for name in sorted(set(new_m) - set(old_m)):
        notes.append(f"message {name}: new")
    for n in notes:
        print("compatible: " + n)
    for b in bad:
        print("INCOMPATIBLE: " + b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
