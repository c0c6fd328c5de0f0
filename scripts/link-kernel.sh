#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Link the kernel in three passes so it carries its own symbol table.
#
#   pass 1: link with an empty kallsyms table
#   pass 2: link with a table made from pass 1's symbols; it has the final
#           size, so every address is now final
#   pass 3: link with a table made from pass 2's symbols: correct addresses
#
# Pass 3's symbols must equal pass 2's, or the layout did not settle.
# Also writes OUT's disassembly (.asm) and sorted symbol list (.sym).
#
# Usage: LD=.. NM=.. OBJDUMP=.. CC=.. KASFLAGS=.. PYTHON=.. \
#        link-kernel.sh OUT "LDFLAGS" OBJ...
set -euo pipefail
out=$1; ldflags=$2; shift 2
dir=$(dirname "$out")/kallsyms
mkdir -p "$dir"

table() { # $1 = nm file or --empty, $2 = pass number
	if [ "$1" = --empty ]; then
		"$PYTHON" scripts/kallsyms.py --empty > "$dir/kallsyms$2.S"
	else
		"$PYTHON" scripts/kallsyms.py < "$1" > "$dir/kallsyms$2.S"
	fi
	# shellcheck disable=SC2086
	$CC $KASFLAGS -c "$dir/kallsyms$2.S" -o "$dir/kallsyms$2.o"
}


symbols() { # $1 = pass number
	$NM -n -S --defined-only "$dir/pass$1.elf" > "$dir/pass$1.nm"
}

table --empty 1
$LD $ldflags -T linker.ld -o "$dir/pass1.elf" "$@" "$dir/kallsyms1.o"
symbols 1
table "$dir/pass1.nm" 2
$LD $ldflags -T linker.ld -o "$dir/pass2.elf" "$@" "$dir/kallsyms2.o"
symbols 2
table "$dir/pass2.nm" 3
$LD $ldflags -T linker.ld -o "$dir/pass3.elf" "$@" "$dir/kallsyms3.o"
symbols 3

if ! cmp -s "$dir/pass2.nm" "$dir/pass3.nm"; then
	echo "link-kernel: symbol addresses did not settle between passes 2 and 3" >&2
	diff "$dir/pass2.nm" "$dir/pass3.nm" | head -20 >&2
	exit 1
fi
cp "$dir/pass3.elf" "$out"
$OBJDUMP -d --no-show-raw-insn "$out" > "${out%.elf}.asm"
cp "$dir/pass3.nm" "${out%.elf}.sym"
