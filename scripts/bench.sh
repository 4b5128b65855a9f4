#!/usr/bin/env bash
# bench.sh — necdossier against the tools it replaces (issue 15).
#
# Usage: scripts/bench.sh            (from anywhere; about 2 to 4 minutes)
#
# Measures, with alternating paired runs (each round runs every contender
# once, the order rotating from round to round, so that load from other
# processes falls on all of them alike), and prints medians of CPU time
# (user + system of the child, to the microsecond), wall time and peak RSS:
#   1. building the Belrive sample vs qpdf (and mutool) merging its letter
#      files, the JPEG letter converted to PDF once beforehand, untimed;
#   2. one build of a workbook listing the corpus's accepted PDFs vs
#      `qpdf --empty --pages` and `mutool merge` of the same files;
#   3. CPU per letter page, from 2;
#   4. BenchmarkRender alone (ns/op);
#   5. `batch` of 50 candidates vs `batch --print`;
#   and the start-up cost (`necdossier version`).
# Ratios are medians of the per-round ratios (necdossier / other tool).
#
# Environment: ROUNDS (15), BATCH_ROUNDS (5), BATCH_N (50), RENDER_COUNT (5),
# STARTUP_ROUNDS (30), NECDOSSIER_CORPUS (default ../shared/corpus beside
# the repository), CORPUS_DIRS (corpus sub-folders whose accepted PDFs are
# merged, default "pdf"; "pdf broken" adds the repairable ones),
# SAMPLE (the workbook of part 1, whose folder the corpus workbook is made
# from; default samples/belrive/candidature.xlsx), BATCH_SAMPLES (names of
# the sample folders copied into the batch; default every samples/*/ whose
# workbook passes `necdossier check`), KEEP=1 keeps the temporary folder.
#
# Missing qpdf, mutool or corpus: the comparison that needs it is skipped
# with a message. Everything is written in a temporary folder, removed at
# the end. go test never runs this script.
set -euo pipefail

ROUNDS=${ROUNDS:-15}
BATCH_ROUNDS=${BATCH_ROUNDS:-5}
BATCH_N=${BATCH_N:-50}
RENDER_COUNT=${RENDER_COUNT:-5}
STARTUP_ROUNDS=${STARTUP_ROUNDS:-30}
CORPUS_DIRS=${CORPUS_DIRS:-pdf}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus=${NECDOSSIER_CORPUS:-$repo/../shared/corpus}
case $corpus in /*) ;; *) corpus=$repo/$corpus ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/necbench.XXXXXX")
if [[ ${KEEP:-} == 1 ]]; then
	trap 'echo "dossier temporaire gardé : $tmp" >&2' EXIT
else
	trap 'rm -rf "$tmp"' EXIT
fi
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
say() { printf '%s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# --- build once -------------------------------------------------------------
say "compilation (necdossier, benchdata, tests de assemble/render)…"
(cd "$repo" && go build -o "$tmp/necdossier" . && go build -o "$tmp/benchdata" ./scripts/benchdata)
nec=$tmp/necdossier
bd=$tmp/benchdata
render_ok=1
if ! (cd "$repo" && go test -c -o "$tmp/render.test" ./assemble/render >/dev/null); then
	say "tests de assemble/render non compilables : BenchmarkRender ignoré"
	render_ok=0
fi

HAVE_QPDF=0 HAVE_MUTOOL=0
if have qpdf; then HAVE_QPDF=1; else say "qpdf absent : comparaisons avec qpdf ignorées"; fi
if have mutool; then HAVE_MUTOOL=1; else say "mutool absent : comparaisons avec mutool ignorées"; fi

# --- measurement helpers ----------------------------------------------------
logs=$tmp/logs
mkdir -p "$logs"
LOGDIR=$logs

# m NAME [-ok CODES] -- CMD...: one timed run, appended to $LOGDIR/NAME.
m() {
	local name=$1
	shift
	"$bd" run -log "$LOGDIR/$name" "$@"
}

# paired ROUNDS JOB...: one untimed warm-up of each job, then ROUNDS rounds
# of every job, the starting job rotating each round (A B, B A, … for two).
paired() {
	local rounds=$1 r i n
	shift
	local jobs=("$@")
	n=${#jobs[@]}
	LOGDIR=$tmp/warmup
	mkdir -p "$LOGDIR"
	for ((i = 0; i < n; i++)); do "${jobs[i]}"; done
	LOGDIR=$logs
	for ((r = 0; r < rounds; r++)); do
		for ((i = 0; i < n; i++)); do "${jobs[(i + r) % n]}"; done
	done
}

# col LOG N: column N (1 cpu, 2 wall, 3 rss KiB) of a log, one value a line.
col() { awk -v c="$2" '{print $c}' "$logs/$1"; }
# median: of the numbers on stdin.
median() {
	sort -g | awk '{v[NR] = $1} END {if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
# quartiles: "q1-q3" of the numbers on stdin (nearest rank), in ms.
quartiles() {
	sort -g | awk '{v[NR] = $1} END {if (NR == 0) {print "-"; exit} a = int((NR + 3) / 4); b = int((3 * NR + 3) / 4); printf "%.0f-%.0f", v[a] * 1000, v[b] * 1000}'
}
# pratio A B N: median over rounds of A/B on column N (the paired ratio).
pratio() {
	paste -d' ' <(col "$1" "$3") <(col "$2" "$3") | awk '$2 > 0 {print $1 / $2}' | median
}

# row LABEL LOG [REF]: one line of a table; REF, when given, is the log of
# the tool the ratios are taken against, named in the last column.
row() {
	local label=$1 log=$2 ref=${3:-} n cpu wall rss iqr rc="" rw="" rr="" rname=""
	[[ -s $logs/$log ]] || return 0
	n=$(wc -l <"$logs/$log")
	cpu=$(col "$log" 1 | median)
	wall=$(col "$log" 2 | median)
	rss=$(col "$log" 3 | median)
	iqr=$(col "$log" 1 | quartiles)
	if [[ -n $ref && -s $logs/$ref ]]; then
		rc=$(printf '%.2fx' "$(pratio "$log" "$ref" 1)")
		rw=$(printf '%.2fx' "$(pratio "$log" "$ref" 2)")
		rr=$(printf '%.2fx' "$(pratio "$log" "$ref" 3)")
		rname=${names_of[$ref]:-$ref}
	fi
	printf '  %-22s %3d %9.1f %11s %9.1f %8.1f %8s %8s %8s  %s\n' "$label" "$n" \
		"$(awk -v x="$cpu" 'BEGIN {print x * 1000}')" "$iqr" \
		"$(awk -v x="$wall" 'BEGIN {print x * 1000}')" \
		"$(awk -v x="$rss" 'BEGIN {print x / 1024}')" "$rc" "$rw" "$rr" "$rname"
}
declare -A names_of=([s1_qpdf]=qpdf [s1_mutool]=mutool [c2_qpdf]=qpdf [c2_mutool]=mutool [b5_batch]=batch)
# nec_rows PART: necdossier's line, once per tool it is compared with.
nec_rows() {
	local ref done=0
	for ref in "$1_qpdf" "$1_mutool"; do
		[[ -s $logs/$ref ]] || continue
		row "necdossier build" "$1_nec" "$ref"
		done=1
	done
	((done)) || row "necdossier build" "$1_nec"
}
header() {
	printf '  %-22s %3s %9s %11s %9s %8s %8s %8s %8s  %s\n' "" "n" "CPU ms" "CPU Q1-Q3" "mur ms" "RSS Mo" "r.CPU" "r.mur" "r.RSS" "rapport à"
}

# --- 0. start-up -------------------------------------------------------------
say "démarrage : necdossier version ×$STARTUP_ROUNDS…"
job_version() { m version -- "$nec" version; }
paired "$STARTUP_ROUNDS" job_version

# --- 1. the sample --------------------------------------------------
sample=${SAMPLE:-$repo/samples/belrive/candidature.xlsx}
case $sample in /*) ;; *) sample=$repo/$sample ;; esac
say "1. exemple $(basename "$(dirname "$sample")") ×$ROUNDS…"
s1=$tmp/sample
mkdir -p "$s1"
"$nec" build "$sample" -o "$s1/setup.pdf" --manifest "$s1/manifest.json" >/dev/null 2>&1
# The letters as qpdf would get them: PDFs as they are, images converted once.
s1_letters=()
i=0
while IFS=$'\t' read -r _ path; do
	i=$((i + 1))
	case ${path,,} in
	*.pdf) s1_letters+=("$path") ;;
	*)
		conv=$s1/letter-$i.pdf
		if have img2pdf; then
			img2pdf -o "$conv" "$path"
		elif have mutool; then
			mutool convert -o "$conv" "$path" >/dev/null 2>&1
		elif have convert; then
			convert "$path" "$conv"
		else
			say "aucun convertisseur d’image (img2pdf, mutool, convert) : $path est omis de la fusion qpdf"
			continue
		fi
		s1_letters+=("$conv")
		;;
	esac
done < <("$bd" annexes "$s1/manifest.json")
s1_pages=$("$bd" annexes "$s1/manifest.json" | awk '{s += $1} END {print s + 0}')

job_s1_nec() { m s1_nec -- "$nec" build "$sample" -o "$s1/out-nec.pdf"; }
job_s1_qpdf() { m s1_qpdf -ok 0,3 -- qpdf --empty --pages "${s1_letters[@]}" -- "$s1/out-qpdf.pdf"; }
job_s1_mutool() { m s1_mutool -- mutool merge -o "$s1/out-mutool.pdf" "${s1_letters[@]}"; }
jobs=(job_s1_nec)
((HAVE_QPDF)) && jobs+=(job_s1_qpdf)
((HAVE_MUTOOL)) && jobs+=(job_s1_mutool)
paired "$ROUNDS" "${jobs[@]}"

# --- 2. the corpus ------------------------------------------------------------
c2=$tmp/corpus
c2_pages=0
names=() accepted=()
if [[ -f $corpus/MANIFEST.tsv ]]; then
	# The accepted PDFs: column 1 the file, column 6 "ok" or "reject".
	mapfile -t accepted < <(awk -F'\t' -v dirs=" $CORPUS_DIRS " 'NR > 1 && $6 == "ok" && tolower($1) ~ /\.pdf$/ {
		d = $1; sub(/\/.*/, "", d); if (index(dirs, " " d " ")) print $1 }' "$corpus/MANIFEST.tsv")
fi
if ((${#accepted[@]} > 0)); then
	mkdir -p "$c2/in"
	# The sample's folder gives the workbook everything but its annexes
	# (logo included); the letters are copies: a link out of the folder
	# would be refused, as for a candidate.
	cp -r "$(dirname "$sample")/." "$c2/in/"
	for f in "${accepted[@]}"; do
		cp "$corpus/$f" "$c2/in/"
		names+=("$(basename "$f")")
	done
	"$bd" workbook -from "$c2/in/$(basename "$sample")" -o "$c2/in/corpus.xlsx" "${names[@]}"
	"$nec" build "$c2/in/corpus.xlsx" -o "$c2/setup.pdf" --manifest "$c2/manifest.json" >/dev/null 2>&1 || {
		say "la construction du corpus échoue :"
		"$nec" build "$c2/in/corpus.xlsx" -o "$c2/setup.pdf" >&2 || true
		exit 1
	}
	c2_pages=$("$bd" annexes "$c2/manifest.json" | awk '{s += $1} END {print s + 0}')
	c2_files=()
	for f in "${names[@]}"; do c2_files+=("$c2/in/$f"); done

	say "2. corpus (${#names[@]} PDF) ×$ROUNDS…"
	job_c2_nec() { m c2_nec -- "$nec" build "$c2/in/corpus.xlsx" -o "$c2/out-nec.pdf"; }
	job_c2_qpdf() { m c2_qpdf -ok 0,3 -- qpdf --empty --pages "${c2_files[@]}" -- "$c2/out-qpdf.pdf"; }
	job_c2_mutool() { m c2_mutool -- mutool merge -o "$c2/out-mutool.pdf" "${c2_files[@]}"; }
	jobs=(job_c2_nec)
	((HAVE_QPDF)) && jobs+=(job_c2_qpdf)
	((HAVE_MUTOOL)) && jobs+=(job_c2_mutool)
	paired "$ROUNDS" "${jobs[@]}"
else
	say "pas de PDF accepté dans $corpus/MANIFEST.tsv (dossiers : $CORPUS_DIRS) : parties 2 et 3 ignorées ; définir NECDOSSIER_CORPUS"
fi

# --- 5. batch -------------------------------------------------------------------
b5=$tmp/batch
mkdir -p "$b5/in"
if [[ -n ${BATCH_SAMPLES:-} ]]; then
	read -r -a bsamples <<<"$BATCH_SAMPLES"
else
	bsamples=()
	for d in "$repo"/samples/*/; do
		[[ -f $d/candidature.xlsx ]] || continue
		"$nec" check "$d/candidature.xlsx" >/dev/null 2>&1 && bsamples+=("$(basename "$d")")
	done
fi
if ((${#bsamples[@]} == 0)); then
	say "aucun exemple valide dans samples/ : lot ignoré"
else
	for ((i = 0; i < BATCH_N; i++)); do
		s=${bsamples[i % ${#bsamples[@]}]}
		cp -r "$repo/samples/$s" "$(printf '%s/in/%03d-%s' "$b5" "$((i + 1))" "$s")"
	done
	say "5. lot de $BATCH_N candidats (${bsamples[*]}) ×$BATCH_ROUNDS…"
	job_b5() { rm -rf "$b5/out"; m b5_batch -- "$nec" batch "$b5/in" -o "$b5/out"; }
	job_b5_print() { rm -rf "$b5/out-print"; m b5_print -- "$nec" batch "$b5/in" -o "$b5/out-print" --print; }
	paired "$BATCH_ROUNDS" job_b5 job_b5_print
fi

# --- 4. render alone ----------------------------------------------------------
render_line=""
if ((render_ok)); then
	say "4. BenchmarkRender ×$RENDER_COUNT…"
	listed=$(cd "$repo/assemble/render" && "$tmp/render.test" -test.list '^BenchmarkRender$')
	if [[ -n $listed ]]; then
		(cd "$repo/assemble/render" && "$tmp/render.test" -test.run '^$' -test.bench '^BenchmarkRender$' \
			-test.benchmem -test.count "$RENDER_COUNT") >"$tmp/render.txt" 2>&1 || {
			cat "$tmp/render.txt" >&2
			exit 1
		}
		ns=$(awk '/^BenchmarkRender/ {for (i = 1; i < NF; i++) if ($(i + 1) == "ns/op") print $i}' "$tmp/render.txt" | median)
		minns=$(awk '/^BenchmarkRender/ {for (i = 1; i < NF; i++) if ($(i + 1) == "ns/op") print $i}' "$tmp/render.txt" | sort -g | sed -n 1p)
		allocs=$(awk '/^BenchmarkRender/ {for (i = 1; i < NF; i++) if ($(i + 1) == "B/op") print $i}' "$tmp/render.txt" | median)
		render_line=$(printf 'BenchmarkRender : médiane %.1f ms/op (min %.1f), %.1f Mo alloués/op, %d exécutions' \
			"$(awk -v x="$ns" 'BEGIN {print x / 1e6}')" "$(awk -v x="$minns" 'BEGIN {print x / 1e6}')" \
			"$(awk -v x="$allocs" 'BEGIN {print x / 1048576}')" "$RENDER_COUNT")
	else
		render_line="BenchmarkRender absent de ./assemble/render : ignoré"
	fi
fi

# --- report -------------------------------------------------------------------
echo "necdossier — mesures appariées alternées (issue 15)"
echo "date : $(date -u '+%Y-%m-%d %H:%M UTC') ; commit : $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' (modifié)')"
echo "machine : $(nproc) cœurs ; charge (1, 5, 15 min) au début : $load_start, à la fin : $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') ; $(go version | cut -d' ' -f3)"
qv="qpdf absent" mv="mutool absent"
((HAVE_QPDF)) && qv=$(qpdf --version 2>&1 | sed -n 1p)
((HAVE_MUTOOL)) && mv=$(mutool -v 2>&1 | sed -n 1p)
echo "outils : $qv ; $mv"
echo "rondes : $ROUNDS (exemple, corpus), $BATCH_ROUNDS (lot), $STARTUP_ROUNDS (démarrage) ; une exécution de chaque, non comptée, avant"
echo "CPU = user + sys du processus mesuré ; valeurs = médianes ; rapports = médiane des rapports ronde par ronde"
echo
header
echo "0. démarrage"
row "necdossier version" version
echo "1. exemple $(basename "$(dirname "$sample")") : ${#s1_letters[@]} lettres, $s1_pages pages de lettres (image convertie en PDF avant, hors mesure)"
nec_rows s1
row "qpdf --empty --pages" s1_qpdf
row "mutool merge" s1_mutool
if ((c2_pages > 0)); then
	echo "2. corpus : ${#names[@]} PDF acceptés (dossiers : $CORPUS_DIRS), $c2_pages pages de lettres"
	nec_rows c2
	row "qpdf --empty --pages" c2_qpdf
	row "mutool merge" c2_mutool
	echo "3. CPU par page de lettre (corpus)"
	for t in c2_nec:necdossier c2_qpdf:qpdf c2_mutool:mutool; do
		log=${t%%:*}
		[[ -s $logs/$log ]] || continue
		printf '  %-22s %7.2f ms/page\n' "${t#*:}" "$(col "$log" 1 | median | awk -v p="$c2_pages" '{print $1 * 1000 / p}')"
	done
else
	echo "2., 3. corpus absent : non mesuré"
fi
echo "4. rendu seul"
echo "  ${render_line:-(non mesuré)}"
((${#bsamples[@]} > 0)) && echo "5. lot de $BATCH_N candidats (copies de : ${bsamples[*]}), -j par défaut"
row "batch" b5_batch
row "batch --print" b5_print b5_batch
