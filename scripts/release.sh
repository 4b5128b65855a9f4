#!/usr/bin/env bash
# release.sh — the files to hand out (issue 11).
#
# Usage: scripts/release.sh            (from anywhere)
#
# Cross-compiles necdossier for the targets below into dist/release, one
# archive each (zip for Windows, tar.gz otherwise) holding the program and a
# short French LISEZMOI.txt (on macOS also « Ouvrir necdossier.command », what
# Finder double-clicks), then builds the static web page into dist/web
# (go run ./web/build, the wasm compressed with brotli and gzip) and its
# archive, and prints the sizes.
#
# Environment: TARGETS, a space-separated list of GOOS/GOARCH (default the
# five below; .ci/run builds one under CI=1, see there), VERSION (default
# git describe), OUT (default dist), BROTLI, the quality of
# necdossier.wasm.br (default 11, the smallest file, some 3 minutes of one
# core; 10 takes half as long for a file 4 % larger).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
TARGETS=${TARGETS:-windows/amd64 windows/arm64 darwin/arm64 darwin/amd64 linux/amd64}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
OUT=${OUT:-dist}
rel="$OUT/release"
rm -rf "$rel"
mkdir -p "$rel"
command -v zip >/dev/null || { echo "release.sh : zip est nécessaire (apt-get install zip)" >&2; exit 1; }

# lisezmoi GOOS EXE: the LISEZMOI.txt of one archive.
lisezmoi() {
	local os=$1 exe=$2 start
	case $os in
	windows) start="Double-cliquez sur $exe. Windows peut afficher « Windows a protégé votre
ordinateur » (le programme n’est pas signé) : cliquez sur « Informations
complémentaires », puis sur « Exécuter quand même ». Une fenêtre noire s’ouvre
et reste ouverte pendant l’utilisation : la fermer arrête necdossier.

Autre façon : faites glisser le classeur rempli (.xlsx) sur $exe. Le dossier
PDF est écrit à côté du classeur, avec les lettres du même dossier ; la
fenêtre dit ce qui est à corriger et reste ouverte jusqu’à ce que vous
appuyiez sur Entrée." ;;
	darwin) start="Double-cliquez sur « Ouvrir necdossier.command ». La première fois, macOS
refuse un programme téléchargé qui n’est pas signé : faites un clic droit
(ou Ctrl-clic) sur le fichier, choisissez « Ouvrir », puis confirmez. Une
fenêtre du Terminal reste ouverte pendant l’utilisation : la fermer arrête
necdossier." ;;
	*) start="Double-cliquez sur $exe (ou, dans un terminal : ./$exe serve). La fenêtre
du terminal, s’il y en a une, reste ouverte pendant l’utilisation : la fermer
arrête necdossier." ;;
	esac
	cat <<TXT
necdossier $VERSION — dossier de candidature « Numérique en Commun[s] 2025 »
===========================================================================

POUR COMMENCER

$start

Une page s’ouvre alors dans votre navigateur. Elle permet de :
  1. télécharger le classeur vierge, à remplir avec Excel, LibreOffice,
     Numbers ou Google Sheets (format .xlsx) ;
  2. déposer le classeur rempli et les lettres de soutien (PDF, JPEG ou PNG),
     ou le dossier qui les contient ;
  3. lire les points à corriger, feuille par feuille, cellule par cellule ;
  4. télécharger le dossier PDF, lettres comprises, et le brouillon du
     courriel d’envoi (.eml), prêt à partir.
Les instructeurs y trouvent aussi une page qui régénère et compare tous les
dossiers d’un lot (un dossier de candidatures ou une archive zip).

VOS FICHIERS NE SONT ENVOYÉS NULLE PART

Le programme travaille sur cet ordinateur. La page n’est servie qu’à cet
ordinateur (adresse 127.0.0.1), protégée par un jeton tiré au hasard à chaque
lancement ; necdossier ne se connecte à aucun serveur et ne garde rien une
fois le dossier produit.

EN LIGNE DE COMMANDE

Depuis un terminal, dans ce dossier :
  necdossier init                  écrit le classeur vierge
  necdossier check CLASSEUR        liste ce qui est à corriger
  necdossier build CLASSEUR        produit le dossier PDF (--eml : le courriel)
  necdossier batch DOSSIER -o SORTIE   (instructeurs) tous les dossiers d’un lot
  necdossier serve                 ouvre la page (ce que fait le double-clic)
  necdossier --help                l’aide complète
TXT
}

size() { wc -c <"$1" | tr -d ' '; }
mo() { awk -v n="$1" 'BEGIN { printf "%.1f Mo", n / 1e6 }' | tr . ,; }

for target in $TARGETS; do
	os=${target%/*} arch=${target#*/}
	exe=necdossier
	[[ $os == windows ]] && exe=necdossier.exe
	name="necdossier-$VERSION-$os-$arch"
	dir="$rel/$name"
	mkdir -p "$dir"
	GOOS=$os GOARCH=$arch CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$VERSION" -o "$dir/$exe" .
	if [[ $os == windows ]]; then
		lisezmoi "$os" "$exe" | sed 's/$/\r/' >"$dir/LISEZMOI.txt"
		(cd "$rel" && zip -qr9 "$name.zip" "$name")
		archive="$rel/$name.zip"
	else
		lisezmoi "$os" "$exe" >"$dir/LISEZMOI.txt"
		if [[ $os == darwin ]]; then
			printf '#!/bin/sh\n# Double-cliquez sur ce fichier pour ouvrir necdossier dans le navigateur.\nexec "$(dirname "$0")/necdossier" serve\n' >"$dir/Ouvrir necdossier.command"
			chmod 755 "$dir/Ouvrir necdossier.command"
		fi
		tar -C "$rel" -czf "$rel/$name.tar.gz" --owner=0 --group=0 "$name"
		archive="$rel/$name.tar.gz"
	fi
	printf '%-48s programme %s, archive %s\n' "$(basename "$archive")" "$(mo "$(size "$dir/$exe")")" "$(mo "$(size "$archive")")"
	rm -rf "$dir"
done

go run ./web/build -o "$OUT/web" -brotli "${BROTLI:-11}"
tar -C "$OUT" -czf "$rel/necdossier-$VERSION-web.tar.gz" --owner=0 --group=0 web
printf '%-48s archive %s\n' "necdossier-$VERSION-web.tar.gz" "$(mo "$(size "$rel/necdossier-$VERSION-web.tar.gz")")"
echo "archives écrites dans $rel"
