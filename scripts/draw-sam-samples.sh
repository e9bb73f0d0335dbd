#!/bin/sh
# Draws the sample images of sam-app/samples/ with ImageMagick (Debian: apt-get install -y imagemagick).
# Nothing is downloaded: every picture is made of shapes. The images are committed; run this only to
# remake them. Local Rekognition pairs each <name>.labels.json with <name>.jpg by the image's SHA-256
# (see sam-app/samples/README.md); update the list of hashes there after remaking.
set -eu
CONVERT=${CONVERT:-convert}
OUT=$(cd "$(dirname "$0")/../sam-app/samples" && pwd)
COMMON="-strip -quality 85 -sampling-factor 4:2:0"

# someguy.jpg: a person, head and shoulders, in front of a pale wall (the workshop's sample key).
$CONVERT -size 320x240 gradient:'#dfe7ee'-'#b9c6d2' \
  -fill '#34495e' -draw 'ellipse 160,250 95,80 180,360' \
  -fill '#2c3e50' -draw 'polygon 140,170 180,170 160,200' \
  -fill '#f1c9a5' -draw 'rectangle 148,140 172,172' \
  -fill '#f1c9a5' -draw 'ellipse 160,105 38,46 0,360' \
  -fill '#4a3222' -draw 'ellipse 160,72 40,20 180,360' \
  -fill '#2b2b2b' -draw 'circle 146,102 146,106' -draw 'circle 174,102 174,106' \
  -fill none -stroke '#8e5a44' -strokewidth 3 -draw 'arc 146,118 174,136 20,160' \
  $COMMON "$OUT/someguy.jpg"

# cat.jpg: a grey cat's head with pointed ears, green eyes and whiskers on a sofa-red background.
$CONVERT -size 320x240 xc:'#a33b3b' \
  -fill '#7f8c8d' -draw 'polygon 100,95 115,25 150,70' -draw 'polygon 220,95 205,25 170,70' \
  -fill '#f5b7b1' -draw 'polygon 110,80 118,42 140,70' -draw 'polygon 210,80 202,42 180,70' \
  -fill '#7f8c8d' -draw 'ellipse 160,130 80,70 0,360' \
  -fill '#27ae60' -draw 'ellipse 130,115 14,11 0,360' -draw 'ellipse 190,115 14,11 0,360' \
  -fill '#111111' -draw 'ellipse 130,115 4,10 0,360' -draw 'ellipse 190,115 4,10 0,360' \
  -fill '#e8a0a0' -draw 'polygon 152,140 168,140 160,150' \
  -stroke '#ecf0f1' -strokewidth 2 \
  -draw 'line 150,150 85,140' -draw 'line 150,155 85,160' -draw 'line 170,150 235,140' -draw 'line 170,155 235,160' \
  $COMMON "$OUT/cat.jpg"

# landscape.jpg: mountains with snow under a blue sky and a sun, a lake and a meadow.
$CONVERT -size 320x240 gradient:'#4a90d9'-'#cfe8fb' \
  -fill '#f9e79f' -draw 'circle 260,50 260,72' \
  -fill '#6c7a89' -draw 'polygon 0,170 70,70 140,170' -draw 'polygon 90,170 190,50 290,170' -draw 'polygon 220,170 290,95 360,170' \
  -fill '#ffffff' -draw 'polygon 70,70 56,92 84,92' -draw 'polygon 190,50 170,78 210,78' -draw 'polygon 290,95 278,112 302,112' \
  -fill '#58a55c' -draw 'rectangle 0,165 320,240' \
  -fill '#3b7dd8' -draw 'ellipse 110,205 80,18 0,360' \
  -fill '#2e7d32' -draw 'polygon 250,200 262,160 274,200' -draw 'polygon 280,205 292,165 304,205' \
  $COMMON "$OUT/landscape.jpg"

# portrait.jpg: a smiling face, close up: local Rekognition answers a (fictional) celebrity for it.
$CONVERT -size 320x240 gradient:'#f6ddcc'-'#e59866' \
  -fill '#1b2631' -draw 'ellipse 160,95 82,70 180,360' \
  -fill '#f0c8a0' -draw 'ellipse 160,125 62,78 0,360' \
  -fill '#1b2631' -draw 'ellipse 160,60 64,22 180,360' \
  -fill '#ffffff' -draw 'ellipse 136,110 12,8 0,360' -draw 'ellipse 184,110 12,8 0,360' \
  -fill '#5d4037' -draw 'circle 136,110 136,116' -draw 'circle 184,110 184,116' \
  -fill '#d7a07c' -draw 'polygon 160,118 152,146 168,146' \
  -fill '#c0392b' -draw 'ellipse 160,165 22,9 0,180' \
  $COMMON "$OUT/portrait.jpg"

ls -l "$OUT"/*.jpg
