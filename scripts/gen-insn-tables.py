#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# Turn Loupe's readable opcode map (arch/x86/insn-opcode-map.txt) into the
# C tables the instruction decoder (arch/x86/insn.c) includes.
#
# The map says, for each opcode of each map and each mandatory prefix (or
# VEX/EVEX pp value), whether the instruction exists and what follows it.
# Every distinct set of attributes becomes one `struct insn_attr`; the big
# tables hold one-byte indexes into that list, 0 meaning "no such
# instruction". See the map's header for its syntax.
#
# The map's "@mnemonic:operands" columns become a second header for the
# printer (arch/x86/insn_print.c): one list of distinct (mnemonic,
# operands) forms and tables of indexes into it, laid out like the
# decoder's so that both find an opcode the same way.
#
# Usage: gen-insn-tables.py MAP OUTPUT.h [PRINT-OUTPUT.h]

import sys

PFX = {"np": 0, "66": 1, "f3": 2, "f2": 3}      # same order as VEX.pp
LEGACY_MAPS = {"1byte": 0, "0f": 1, "0f38": 2, "0f3a": 3}
VEX_MAPS = {"0f": 1, "0f38": 2, "0f3a": 3}
EVEX_MAPS = {"0f": 1, "0f38": 2, "0f3a": 3, "map5": 5, "map6": 6}
XOP_MAPS = {"8": 0, "9": 1, "a": 2}
IMMS = {"ib": "IB", "iw": "IW", "id": "ID", "iz": "IZ", "iv": "IV", "iwib": "IW_IB",
        "ibib": "IB_IB", "jb": "JB", "jz": "JZ", "moffs": "MOFFS"}
FLAGS = {"modrm": "MODRM", "mem": "MEM", "reg": "REG", "modign": "MODIGN",
         "d64": "D64", "f64": "F64", "far": "FAR", "3dnow": "3DNOW"}


class MapError(Exception):
    pass


def parse_range(text, base):
    """'0c-0f' -> [12..15]; base 16 for opcodes, 10 for /reg and rm."""
    lo, _, hi = text.partition("-")
    lo = int(lo, base)
    hi = int(hi, base) if hi else lo
    if hi < lo:
        raise MapError(f"bad range {text}")
    return list(range(lo, hi + 1))


def parse_list(text, base):
    out = []
    for part in text.split(","):
        out += parse_range(part, base)
    return out


def parse_attrs(tokens):
    """Attribute tokens of one line -> dict with the keys used below."""
    a = {"imm": None, "kind": None, "flags": set(), "group": None,
         "pfx": None, "rm": None, "print": None}
    for tok in tokens:
        key, eq, val = tok.partition("=")
        if tok.startswith("@"):
            a["print"] = parse_print(tok[1:])
        elif eq and key == "p":
            a["pfx"] = [PFX[p] for p in val.split(",")]
        elif eq and key == "kind":
            a["kind"] = val
        elif eq and key == "grp":
            a["group"] = val
            a["flags"].add("MODRM")
        elif eq and key == "rm":
            a["rm"] = parse_list(val, 10)
            a["flags"].add("REG")
        elif tok in IMMS:
            if a["imm"]:
                raise MapError(f"two immediates: {tok}")
            a["imm"] = IMMS[tok]
        elif tok in FLAGS:
            a["flags"].add(FLAGS[tok])
        else:
            raise MapError(f"unknown attribute {tok!r}")
    if "MEM" in a["flags"] and "REG" in a["flags"]:
        raise MapError("both mem and reg")
    return a


def parse_print(text):
    """'add|or:Eb,Gb' -> ([mnemonics], [operand strings] or None).

    Either list may hold one entry for every opcode (or /reg, or rm) of
    the line, or a single entry shared by all. Operands None (no ':')
    means "take the opcode line's operands" on a group line.
    """
    mnems, colon, ops = text.partition(":")
    return (mnems.split("|"), ops.split("|") if colon else None)


def print_forms(pr, n):
    """The line's print forms, one per item of a range of @n items."""
    mnems, ops = pr
    for lst in (mnems, ops if ops is not None else mnems):
        if len(lst) not in (1, n):
            raise MapError(f"{len(lst)} print forms for {n} items")
    pick = (lambda lst, i: lst[i if len(lst) > 1 else 0])
    return [(pick(mnems, i), pick(ops, i) if ops is not None else None)
            for i in range(n)]


class Tables:
    def __init__(self):
        self.attrs = [None]          # index 0: invalid
        self.attr_index = {}
        # (space, map) -> 256 x 4 attr indexes
        self.maps = {}
        self.groups = {}             # name -> [4][8][2] attr indexes
        self.group_order = []
        self.group_refs = set()
        self.dnow = set()
        self.forms = [None]          # printer: (mnemonic, operands)
        self.form_index = {}
        self.print_ops = {}          # (space, map) -> 256 x 4 form indexes
        self.print_groups = {}       # name -> [4][8][9]: mem, then rm 0-7

    def form(self, key):
        if key not in self.form_index:
            self.form_index[key] = len(self.forms)
            self.forms.append(key)
        return self.form_index[key]

    def attr(self, imm, kind, flags, group, rm_mask):
        key = (imm or "NONE", kind or "ORDINARY", tuple(sorted(flags)),
               group, rm_mask)
        if key not in self.attr_index:
            self.attr_index[key] = len(self.attrs)
            self.attrs.append(key)
            if len(self.attrs) > 255:
                raise MapError("more than 255 distinct attribute sets")
        return self.attr_index[key]

    def table(self, space, mapno):
        return self.maps.setdefault((space, mapno),
                                    [[0] * 4 for _ in range(256)])

    def add_opcode(self, space, mapno, ops, a):
        if a["rm"] is not None:
            raise MapError("rm= only on group lines")
        group = 0
        if a["group"]:
            self.group_refs.add(a["group"])
            group = a["group"]
        idx = self.attr(a["imm"], a["kind"], a["flags"], group, 0xff)
        table = self.table(space, mapno)
        for op in ops:
            for p in a["pfx"] if a["pfx"] is not None else range(4):
                if table[op][p]:
                    raise MapError(f"opcode {op:02x} prefix {p} twice")
                table[op][p] = idx
        if a["print"]:
            ptable = self.print_ops.setdefault((space, mapno),
                                               [[0] * 4 for _ in range(256)])
            for op, f in zip(ops, print_forms(a["print"], len(ops))):
                for p in a["pfx"] if a["pfx"] is not None else range(4):
                    ptable[op][p] = self.form(f)

    def add_group_print(self, name, regs, a):
        """Forms by /reg, or by rm when the line names rm values."""
        rms = a["rm"] if a["rm"] is not None else list(range(8))
        by_rm = a["rm"] is not None and len(regs) == 1
        forms = print_forms(a["print"], len(rms) if by_rm else len(regs))
        # (column, index into forms when they go by rm): column 0 is the
        # memory form, 1 + rm the register forms.
        cols = []
        if "REG" not in a["flags"]:
            cols.append((0, 0))
        if "MEM" not in a["flags"]:
            cols += [(1 + rm, k) for k, rm in enumerate(rms)]
        table = self.print_groups[name]
        for i, reg in enumerate(regs):
            for p in a["pfx"] if a["pfx"] is not None else range(4):
                for c, k in cols:
                    table[p][reg][c] = self.form(forms[k if by_rm else i])

    def add_group_entry(self, name, regs, a):
        if a["group"]:
            raise MapError("grp= inside a group")
        mask = 0xff
        if a["rm"] is not None:
            mask = sum(1 << rm for rm in a["rm"])
        mods = [0, 1]                # 0: memory forms, 1: mod == 3
        if "MEM" in a["flags"]:
            mods = [0]
        elif "REG" in a["flags"]:
            mods = [1]
        if a["print"]:
            self.add_group_print(name, regs, a)
        table = self.groups[name]
        for reg in regs:
            for p in a["pfx"] if a["pfx"] is not None else range(4):
                for mod in mods:
                    idx = self.attr(a["imm"], a["kind"], a["flags"], 0,
                                    mask if mod else 0xff)
                    old = table[p][reg][mod]
                    if old and mod and self.attrs[old][:4] == self.attrs[idx][:4]:
                        # Same instruction shape, more rm values: merge.
                        key = self.attrs[old]
                        idx = self.attr(key[0], key[1], key[2], 0,
                                        key[4] | mask)
                    elif old:
                        raise MapError(f"group {name} /{reg} prefix {p} twice")
                    table[p][reg][mod] = idx

    def new_group(self, name):
        if name in self.groups:
            raise MapError(f"group {name} defined twice")
        self.groups[name] = [[[0, 0] for _ in range(8)] for _ in range(4)]
        self.print_groups[name] = [[[0] * 9 for _ in range(8)]
                                   for _ in range(4)]
        self.group_order.append(name)


def parse(path):
    t = Tables()
    section = None
    with open(path) as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.split(";")[0].split("#")[0].strip()
            if not line:
                continue
            words = line.split()
            try:
                if words[0] == "map":
                    section = parse_map_header(words)
                elif words[0] == "group":
                    t.new_group(words[1])
                    section = ("group", words[1])
                elif section is None:
                    raise MapError("line outside a map or group")
                elif section[0] == "group":
                    regs = parse_range(words[0].replace("/", ""), 10)
                    t.add_group_entry(section[1], regs,
                                      parse_attrs(words[1:]))
                elif section[0] == "3dnow":
                    t.dnow.update(parse_range(words[0], 16))
                else:
                    t.add_opcode(section[0], section[1],
                                 parse_range(words[0], 16),
                                 parse_attrs(words[1:]))
            except (MapError, ValueError, KeyError, IndexError) as e:
                sys.exit(f"{path}:{lineno}: {e}")
    missing = t.group_refs - set(t.groups)
    unused = set(t.groups) - t.group_refs
    if missing or unused:
        sys.exit(f"{path}: groups undefined {sorted(missing)}, "
                 f"unused {sorted(unused)}")
    return t


def parse_map_header(words):
    if words[1:] == ["3dnow"]:
        return ("3dnow", 0)
    space, name = words[1], words[2]
    maps = {"legacy": LEGACY_MAPS, "vex": VEX_MAPS, "evex": EVEX_MAPS,
            "xop": XOP_MAPS}
    return (space, maps[space][name])


def c_attr(key, group_index):
    imm, kind, flags, group, rm_mask = key
    fl = " | ".join(f"INSN_F_{f}" for f in flags) or "0"
    g = group_index[group] + 1 if group else 0
    return (f"{{ INSN_IMM_{imm}, INSN_{kind}, {fl}, {g}, 0x{rm_mask:02x} }}")


def emit(t, out):
    gi = {name: i for i, name in enumerate(t.group_order)}
    w = out.write
    w("/* SPDX-License-Identifier: MIT */\n")
    w("/*\n * Generated by scripts/gen-insn-tables.py from "
      "arch/x86/insn-opcode-map.txt.\n * Do not edit; change the map.\n */\n\n")
    w(f"#define INSN_NR_GROUPS {len(t.group_order)}\n\n")
    w("static const struct insn_attr insn_attrs[] = {\n")
    w("\t{ 0 },\t/* 0: no such instruction */\n")
    for i, key in enumerate(t.attrs[1:], 1):
        w(f"\t{c_attr(key, gi)},\t/* {i} */\n")
    w("};\n\n")
    names = {"legacy": ("insn_legacy_table", 4), "vex": ("insn_vex_table", 4),
             "evex": ("insn_evex_table", 7), "xop": ("insn_xop_table", 3)}
    for space, (cname, nmaps) in names.items():
        w(f"static const uint8_t {cname}[{nmaps}][256][4] = {{\n")
        for (sp, mapno), table in sorted(t.maps.items()):
            if sp != space:
                continue
            w(f"\t[{mapno}] = {{\n")
            for op in range(256):
                row = table[op]
                if any(row):
                    w(f"\t\t[0x{op:02x}] = {{ {', '.join(map(str, row))} }},\n")
            w("\t},\n")
        w("};\n\n")
    w("/* [group][prefix form][ModRM.reg][mod == 3] */\n")
    w("static const uint8_t insn_group_table[INSN_NR_GROUPS][4][8][2] = {\n")
    for name in t.group_order:
        w(f"\t[{gi[name]}] = {{\t/* {name} */\n")
        for p in range(4):
            cells = ", ".join(f"{{ {m}, {r} }}" for m, r in t.groups[name][p])
            w(f"\t\t{{ {cells} }},\n")
        w("\t},\n")
    w("};\n\n")
    bits = [0] * 32
    for op in t.dnow:
        bits[op >> 3] |= 1 << (op & 7)
    w("/* bit n set: 0f 0f suffix byte n is a 3DNow! instruction */\n")
    w("static const uint8_t insn_3dnow_valid[32] = {\n\t")
    w(", ".join(f"0x{b:02x}" for b in bits))
    w("\n};\n")


def c_str(s):
    return "NULL" if s is None else '"' + s + '"'


def emit_print(t, out):
    """The printer's tables: forms, then indexes by opcode and by group."""
    gi = {name: i for i, name in enumerate(t.group_order)}
    w = out.write
    w("/* SPDX-License-Identifier: MIT */\n")
    w("/*\n * Generated by scripts/gen-insn-tables.py from "
      "arch/x86/insn-opcode-map.txt.\n * Do not edit; change the map.\n */\n\n")
    w("static const struct insn_print_form insn_print_forms[] = {\n")
    w("\t{ NULL, NULL },\t/* 0: not printable */\n")
    for i, (m, o) in enumerate(t.forms[1:], 1):
        w(f"\t{{ {c_str(m)}, {c_str(o)} }},\t/* {i} */\n")
    w("};\n\n")
    w("/* [map][opcode][prefix form]: form index, group (1 + index) */\n")
    w("static const struct insn_print_op insn_print_legacy[4][256][4] = {\n")
    for (sp, mapno), table in sorted(t.maps.items()):
        if sp != "legacy":
            continue
        ptable = t.print_ops.get((sp, mapno), [[0] * 4 for _ in range(256)])
        w(f"\t[{mapno}] = {{\n")
        for op in range(256):
            cells = []
            for p in range(4):
                a = t.attrs[table[op][p]] if table[op][p] else None
                g = gi[a[3]] + 1 if a and a[3] else 0
                cells.append(f"{{ {ptable[op][p]}, {g} }}")
            if any(c != "{ 0, 0 }" for c in cells):
                w(f"\t\t[0x{op:02x}] = {{ {', '.join(cells)} }},\n")
        w("\t},\n")
    w("};\n\n")
    w("/* [group][prefix form][ModRM.reg][0: memory, 1 + rm: register] */\n")
    w(f"static const uint16_t insn_print_group[{len(t.group_order)}][4][8][9] = {{\n")
    for name in t.group_order:
        w(f"\t[{gi[name]}] = {{\t/* {name} */\n")
        for p in range(4):
            rows = ", ".join("{ " + ", ".join(map(str, r)) + " }"
                             for r in t.print_groups[name][p])
            w(f"\t\t{{ {rows} }},\n")
        w("\t},\n")
    w("};\n")


def write_atomically(path, emitter, tables):
    import os
    tmp = path + ".tmp"
    with open(tmp, "w") as out:
        emitter(tables, out)
    os.replace(tmp, path)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: gen-insn-tables.py MAP OUTPUT [PRINT-OUTPUT]")
    tables = parse(sys.argv[1])
    write_atomically(sys.argv[2], emit, tables)
    if len(sys.argv) == 4:
        write_atomically(sys.argv[3], emit_print, tables)


if __name__ == "__main__":
    main()
