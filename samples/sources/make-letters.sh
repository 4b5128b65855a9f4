#!/bin/sh
# make-letters.sh regenerates the annex files of the sample candidatures
# (samples/belrive, samples/haut-verdal, samples/sarrine) from the sources
# kept beside it. Every letter, and every name in it, is fictional.
#
#   samples/sources/make-letters.sh
#
# Needs LibreOffice Writer (soffice), poppler (pdftoppm) and ImageMagick
# (convert). The PDFs are exported by LibreOffice from .fodt (flat ODF,
# readable and diffable) or .html sources; the « scanned » letter is a PDF
# rendered at 150 dpi and aged with ImageMagick: a signature, a grey paper
# tint, a 0.7° skew, a little noise, JPEG quality 85.
#
# LibreOffice writes dates and an ID into each PDF, so the bytes differ from
# one run to the next; the pages do not. The scan's noise is seeded, so the
# JPEG is the same from one run to the next.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
samples=$(dirname "$here")
fonts=$(dirname "$samples")/fonts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for tool in soffice pdftoppm convert; do
	command -v "$tool" >/dev/null || { echo "make-letters.sh : $tool introuvable" >&2; exit 1; }
done

# export SOURCE converts SOURCE (in sources/) to PDF in the temporary folder
# and prints the PDF's path. A private LibreOffice profile lets the script run
# while another LibreOffice is open. HTML is read by Writer, not Writer/Web,
# so that its @page rule gives A4 pages.
export_pdf() {
	case $1 in
	*.html) filter='--infilter=HTML (StarWriter)' ;;
	*) filter='--infilter=' ;;
	esac
	soffice -env:UserInstallation="file://$tmp/profile" --headless "$filter" \
		--convert-to pdf:writer_pdf_Export --outdir "$tmp" "$here/$1" >/dev/null 2>&1
	out="$tmp/${1%.*}.pdf"
	[ -s "$out" ] || { echo "make-letters.sh : échec de la conversion de $1" >&2; exit 1; }
	echo "$out"
}

# pdf SOURCE DEST exports SOURCE to DEST (relative to samples/).
pdf() {
	mv "$(export_pdf "$1")" "$samples/$2"
	echo "$2"
}

# wave X0 X1 Y AMPLITUDE PERIODS RADIUS DECAY prints ImageMagick draw
# primitives: discs along a sine whose amplitude shrinks by DECAY (0 to 1)
# from left to right. ImageMagick 6.9 fills the inside of a curved path even
# with « -fill none », so strokes are drawn as discs.
wave() {
	awk -v x0="$1" -v x1="$2" -v y0="$3" -v a="$4" -v n="$5" -v r="$6" -v d="$7" 'BEGIN {
		for (x = x0; x <= x1; x++) {
			t = (x - x0) / (x1 - x0)
			y = y0 - a * (1 - d * t) * sin(t * n * 2 * 3.14159265)
			printf "circle %d,%.1f %.1f,%.1f ", x, y, x + r, y
		}
	}'
}

# Métropole de Belrive (fictive): three letters in three forms, and a logo.
pdf lettre-region-val-d-ormance.fodt belrive/lettre-region-val-d-ormance.pdf
pdf deliberation-conseil-metropolitain.fodt belrive/deliberation-conseil-metropolitain.pdf

pdftoppm -r 150 -png -singlefile "$(export_pdf lettre-connecteurs-belrivains.html)" "$tmp/connecteurs"
convert "$tmp/connecteurs.png" \
	-fill '#1b2a6b' -draw "$(wave 680 900 1445 22 2.5 1.6 0.5)" -draw "$(wave 860 960 1470 3 0.5 1.4 0)" \
	\( +clone -fill '#ece8de' -colorize 100 \) -compose multiply -composite \
	-background '#e6e2d7' -rotate 0.7 -gravity center -crop 1240x1754+0+0 +repage \
	-seed 2025 -attenuate 0.15 +noise Gaussian -blur 0x0.5 \
	-quality 85 -sampling-factor 4:2:0 -strip "$samples/belrive/lettre-connecteurs-belrivains.jpg"
echo belrive/lettre-connecteurs-belrivains.jpg

convert -size 520x160 xc:white \
	-fill '#1f5f8b' -draw 'circle 80,80 80,14' \
	-fill white -draw "$(wave 32 128 72 9 1 4 0)" \
	-fill '#f2a541' -draw "$(wave 36 124 98 9 1 4 0)" \
	-fill '#1f5f8b' -font "$fonts/Lato-Bold.ttf" -pointsize 64 -annotate +165+92 'Belrive' \
	-fill '#4a4a4a' -font "$fonts/Lato-Regular.ttf" -pointsize 22 -annotate +168+128 'MÉTROPOLE' \
	-depth 8 -define png:color-type=2 -strip "$samples/belrive/logo-belrive.png"
echo belrive/logo-belrive.png

# Communauté de communes du Haut-Verdal (fictive): one letter.
pdf lettre-departement-aubrelle.html haut-verdal/lettre-departement-aubrelle.pdf

# Département de la Sarrine (fictif): two letters.
pdf lettre-universite-montsarrin.html sarrine/lettre-universite-montsarrin.pdf
pdf lettre-maires-ruraux-sarrine.html sarrine/lettre-maires-ruraux-sarrine.pdf

# The workbook with typical mistakes (samples/exemple-erreurs) names a Word
# file as an annex: the Région's letter, saved as .docx instead of PDF.
soffice -env:UserInstallation="file://$tmp/profile" --headless \
	--convert-to 'docx:MS Word 2007 XML' --outdir "$tmp" "$here/lettre-region-val-d-ormance.fodt" >/dev/null 2>&1
mv "$tmp/lettre-region-val-d-ormance.docx" "$samples/exemple-erreurs/lettre-region-val-d-ormance.docx"
echo exemple-erreurs/lettre-region-val-d-ormance.docx
