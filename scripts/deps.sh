#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Install the Debian packages Loupe needs to build, boot and test.
#
# `make run`, `make test` and friends call this before they do anything
# else. When every tool is already present it returns at once; otherwise it
# names what is missing and installs it with apt-get. It never downloads
# anything but Debian packages.
#
# Usage: scripts/deps.sh [build|run|test|all|bench-linux]   (default: all)
# bench-linux adds what ../shared/anchors/linux-probes/run.sh (and
# scripts/linux-bench-cpus.sh, make bench-linux SMP=N) needs to time
# Linux's probes (a static busybox for its initramfs, static libc, file).
set -u

want=${1:-all}

# "command-or-file  package" pairs, grouped by what needs them.
build_deps=(
	"gcc                          gcc"
	"make                         make"
	"ld                           binutils"
	"objdump                      binutils"
	"/usr/bin/python3             python3"
	"grub-mkrescue                grub-common"
	"/usr/lib/grub/i386-pc/multiboot2.mod grub-pc-bin"
	"xorriso                      xorriso"
	"mformat                      mtools"
)
run_deps=(
	"qemu-system-x86_64           qemu-system-x86"
)
test_deps=(
	"/usr/include/criterion/criterion.h criterion-dev"
	"/usr/lib/python3/dist-packages/pexpect/__init__.py python3-pexpect"
	"/usr/include/capstone/capstone.h libcapstone-dev"
	"clang                        clang"
	"/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev"
)
# Only for `make bench-linux`: Debian's kernels are fetched by run.sh itself.
linux_bench_deps=(
	"/usr/share/doc/busybox-static busybox-static"
	"file                         file"
	"cpio                         cpio"
	"/usr/lib/x86_64-linux-gnu/libc.a libc6-dev"
)

case $want in
build) groups=(build_deps) ;;
run)   groups=(build_deps run_deps) ;;
test)  groups=(build_deps run_deps test_deps) ;;
all)   groups=(build_deps run_deps test_deps) ;;
bench-linux) groups=(run_deps linux_bench_deps) ;;
*)     echo "usage: $0 [build|run|test|all|bench-linux]" >&2; exit 2 ;;
esac

present() {
	case $1 in
	/*) [ -e "$1" ] ;;
	*)  command -v "$1" >/dev/null 2>&1 ;;
	esac
}

missing=()
for g in "${groups[@]}"; do
	declare -n list=$g
	for pair in "${list[@]}"; do
		read -r what pkg <<<"$pair"
		# Debian 12 names Criterion's package libcriterion-dev.
		[ "$pkg" = criterion-dev ] && pkg=libcriterion-dev
		present "$what" || missing+=("$pkg")
	done
	unset -n list
done
[ ${#missing[@]} -eq 0 ] && exit 0

# De-duplicate while keeping order.
pkgs=$(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++' | tr '\n' ' ')
echo "deps: missing Debian packages: $pkgs" >&2

if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: apt-get not found. This is not a Debian-like system;" >&2
	echo "deps: install the equivalents of: $pkgs" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: installing packages needs root. Run as root, or:" >&2
	echo "deps:   sudo apt-get update && sudo apt-get install -y $pkgs" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! apt-get install -y --no-install-recommends $pkgs >&2; then
	echo "deps: install failed; refreshing the package lists and retrying" >&2
	apt-get update >&2 || { echo "deps: apt-get update failed (no network to the Debian archive?)" >&2; exit 1; }
	# shellcheck disable=SC2086
	apt-get install -y --no-install-recommends $pkgs >&2 || {
		echo "deps: apt-get install $pkgs failed; see the messages above" >&2
		exit 1
	}
fi
echo "deps: installed $pkgs" >&2
