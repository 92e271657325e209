#!/usr/bin/env bash
# Makes the bundled demo clips, assets/demo/*.mp4: six 5-second driving scenes seen from
# the ego car, drawn by ffmpeg's lavfi sources alone (a black `color` source painted by one
# `geq` expression per plane), so the project owns every pixel and anyone can rebuild them.
#
# Why a tiny renderer instead of stock footage: the clips must be small enough to commit
# (< 5 MB in all), free of licences, and simple enough that the "truth" of each clip under
# rubrics/av-cut-in.yaml is known exactly — see assets/demo/README.md for that table, and
# Sources/concord/Concord+Demo.swift, whose simulated raters start from the same table.
#
# The scene: a pinhole camera 1.3 m above a three-lane road (lanes 3.6 m wide, ego in the
# middle one), focal length 420 px, horizon at row 150 of 640×360. Every pixel below the
# horizon is traced back to the road (distance z, lateral x), so lane markings are drawn in
# road coordinates and their dashes scroll with the distance ego has driven: motion, and
# ego's braking, are visible. Vehicles are boxes standing on the road (rear face only),
# positioned by simple kinematics: constant speed, or a constant deceleration for a while.
#
# Deterministic: no randomness, fixed encoder settings, one encoder thread, bit-exact
# container flags; the same ffmpeg/x264 versions give the same bytes.
#
# Usage: scripts/make-demo-clips.sh [OUTPUT_DIR]   (default: assets/demo)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-assets/demo}
command -v ffmpeg >/dev/null || { echo "make-demo-clips: the ffmpeg CLI is needed (apt-get install ffmpeg)" >&2; exit 2; }
mkdir -p "$out"

FPS=25
SECONDS_PER_CLIP=5
HORIZON=150        # row of the horizon
FOCAL=420          # px
CAMERA_HEIGHT=1.3  # m

# --- colours -------------------------------------------------------------------------
# "st(6,Y);st(7,U);st(8,V)" for an sRGB colour (BT.601, limited range, as yuv420p H.264).
col() {
  awk -v r="$1" -v g="$2" -v b="$3" 'BEGIN {
    printf "st(6,%d);st(7,%d);st(8,%d)", 16 + 0.257*r + 0.504*g + 0.098*b + 0.5,
      128 - 0.148*r - 0.291*g + 0.439*b + 0.5, 128 + 0.439*r - 0.368*g - 0.071*b + 0.5 }'
}
# A vertical gradient from colour A (row 0) to colour B (the horizon), for the sky.
gradient() {
  awk -v r1="$1" -v g1="$2" -v b1="$3" -v r2="$4" -v g2="$5" -v b2="$6" -v h="$HORIZON" 'BEGIN {
    y1 = 16 + 0.257*r1 + 0.504*g1 + 0.098*b1; y2 = 16 + 0.257*r2 + 0.504*g2 + 0.098*b2
    u1 = 128 - 0.148*r1 - 0.291*g1 + 0.439*b1; u2 = 128 - 0.148*r2 - 0.291*g2 + 0.439*b2
    v1 = 128 + 0.439*r1 - 0.368*g1 - 0.071*b1; v2 = 128 + 0.439*r2 - 0.368*g2 - 0.071*b2
    printf "st(6,%.2f+%.4f*ld(1));st(7,%.2f+%.4f*ld(1));st(8,%.2f+%.4f*ld(1))",
      y1, (y2-y1)/h, u1, (u2-u1)/h, v1, (v2-v1)/h }'
}

# --- kinematics (expressions in T, the frame time in seconds) ----------------------
# Distance driven at V0 m/s, braking at A m/s² from TB for DUR seconds, then steady.
travel() { echo "($1*T-0.5*$2*pow(clip(T-$3,0,$4),2)-$2*$4*max(0,T-$3-$4))"; }
# 0 before T0, 1 after T1, a smooth (cosine) step between: lane changes.
ease() { echo "(0.5-0.5*cos(PI*clip((T-$1)/($2-$1),0,1)))"; }
# From A to B along ease(T0, T1).
slide() { echo "($1+($2-($1))*$(ease "$3" "$4"))"; }

# --- painters: each sets registers 6-8 (Y, U, V) and returns 1 when it painted -------
# Registers: 0 u, 1 v (luma pixel), 2 distance, 3 lateral position, 4-5 vehicle-local
# coordinates (a across from the centre, b height above the road), 6-8 colour, 9 glare.

# vehicle KIND GAP LATERAL R G B BRAKING: a car or truck whose rear face is GAP m ahead of
# the camera with its centre LATERAL m right of ego's lane centre (expressions in T);
# BRAKING is an expression in T, non-zero while its brake lights are on.
vehicle() {
  local kind=$1 gap=$2 lateral=$3 body lights inside parts
  body=$(col "$4" "$5" "$6")
  lights="if($7,$(col 255 45 35),$(col 105 22 22))"
  local a="ld(4)" b="ld(5)"
  if [ "$kind" = truck ]; then
    inside="lte(abs($a),1.25)*between($b,0,3.6)"
    parts="if(lt($b,0.45),$(col 22 22 22),if(between($b,0.5,0.75)*between(abs($a),0.8,1.2),$lights,\
if(between($b,0.45,0.8),$(col 60 60 62),if(lt(abs($a),0.035),$(col 90 90 92),\
if(between($b,0.85,1.05),$(col 235 120 30),$body)))))"
  else
    inside="gt(lte(abs($a),0.9)*between($b,0,1.22)+lte(abs($a),0.72)*between($b,1.22,1.45),0)"
    parts="if(lt($b,0.28),$(col 22 22 22),if(between($b,0.62,0.82)*between(abs($a),0.55,0.86),$lights,\
if(between($b,0.38,0.54)*lt(abs($a),0.26),$(col 225 225 220),if(between($b,0.9,1.3)*lt(abs($a),0.66),$(col 45 55 68),$body))))"
  fi
  echo "st(2,$gap);st(3,$lateral);st(4,(ld(0)-320)*ld(2)/$FOCAL-ld(3));\
st(5,$CAMERA_HEIGHT+($HORIZON-ld(1))*ld(2)/$FOCAL);if(gt(ld(2),0.5)*$inside,$parts;1,0)"
}

# road EGO_TRAVEL: sky, grass, asphalt and lane markings (solid road edges, dashed lane
# lines 4.5 m long every 12 m, drawn out to 90 m), the dashes moving with ego's travel.
road() {
  local travel=$1
  local marking="lt(ld(2),90)*gt(lt(abs(abs(ld(3))-5.4),0.1)+lt(abs(abs(ld(3))-1.8),0.09)*lt(mod(ld(2)+$travel,12),4.5),0)"
  echo "if(lte(ld(1),$HORIZON),$(gradient 105 155 215 200 220 235),\
st(2,$FOCAL*$CAMERA_HEIGHT/(ld(1)-$HORIZON));st(3,(ld(0)-320)*$CAMERA_HEIGHT/(ld(1)-$HORIZON));\
if(gt(abs(ld(3)),6.4),$(col 78 122 62),if($marking,$(col 232 232 222),$(col 98 98 104))))"
}

# Ego's own bonnet at the bottom of the picture: nearer than anything else.
HOOD="gt(ld(1),332+0.0004*pow(ld(0)-320,2))"
HOOD_COLOUR=$(col 34 44 60)

# scene NAME EGO_TRAVEL GLARE VEHICLE...: writes the filter script and renders NAME.mp4.
# Vehicles are listed nearest first (the first that covers a pixel paints it). GLARE is
# "" or an expression in T (0..1) for a blinding glare over the lane ahead.
scene() {
  local name=$1 travel=$2 glare=$3
  shift 3
  local body="if($HOOD,$HOOD_COLOUR"
  local closing=")"
  local v
  for v in "$@"; do
    body+=",if($v,1"
    closing+=")"
  done
  body+=",$(road "$travel")$closing"
  local post=""
  if [ -n "$glare" ]; then
    post=";st(9,$glare*clip(1.6-hypot(ld(0)-270,(ld(1)-175)*1.2)/170,0,1));\
st(6,ld(6)+(235-ld(6))*ld(9));st(7,ld(7)+(128-ld(7))*ld(9));st(8,ld(8)+(128-ld(8))*ld(9))"
  fi
  local pixel="st(0,X/SW);st(1,Y/SH);$body$post"
  local script
  script=$(mktemp)
  printf "geq=lum='%s;ld(6)':cb='%s;ld(7)':cr='%s;ld(8)'" "$pixel" "$pixel" "$pixel" >"$script"
  echo "make-demo-clips: $out/$name.mp4"
  ffmpeg -nostdin -hide_banner -loglevel error -y \
    -f lavfi -i "color=c=black:s=640x360:r=$FPS:d=$SECONDS_PER_CLIP,format=yuv420p" \
    -filter_script:v "$script" \
    -c:v libx264 -preset veryslow -crf 30 -g 30 -bf 3 -pix_fmt yuv420p -threads 1 \
    -map_metadata -1 -fflags +bitexact -flags:v +bitexact -movflags +faststart -an \
    "$out/$name.mp4"
  rm -f "$script"
}

LEFT=-3.6; RIGHT=3.6   # lane centres, m
STEADY=$(travel 20 0 99 0)   # ego at a steady 72 km/h

# 1. A blue car in the left lane, slower than ego (12 vs 20 m/s), cuts into ego's lane
#    between 0.8 s and 2.2 s, fully in 7 m ahead while closing at 8 m/s (≈4.6 m/s² needed:
#    severe). Ego brakes hard (7 m/s²) at once, at 2.2 s: the dashes slow down; the gap
#    bottoms out near 2.4 m, minimum TTC ≈ 0.8 s.
EGO=$(travel 20 7 2.2 1.3)
scene cutin-left-close "$EGO" "" \
  "$(vehicle car "(24.6+12*T-$EGO)" "$(slide $LEFT 0 0.8 2.2)" 40 70 165 0)"

# 2. A yellow car in the right lane far ahead (32 m, 16 vs 20 m/s) moves into ego's lane
#    between 1.5 s and 3.2 s, 19 m ahead, closing at 4 m/s (≈0.4 m/s² needed, TTC ≈ 4.6 s:
#    minor). Ego eases off gently (1.5 m/s² from 3.4 s).
EGO=$(travel 20 1.5 3.4 1.6)
scene cutin-right-far "$EGO" "" \
  "$(vehicle car "(32+16*T-$EGO)" "$(slide $RIGHT 0 1.5 3.2)" 215 180 45 0)"

# 3. A white car in the left lane slowly overtakes (gap 10 → 22 m), drifts towards the lane
#    line and back (its wheels stay 0.3 m clear of it); a red car holds 35 m ahead in ego's
#    lane. Nobody enters ego's lane: no cut-in.
scene no-cutin-adjacent "$STEADY" "" \
  "$(vehicle car "(10+2.4*T)" "($LEFT+0.6*sin(PI*clip((T-1.2)/2.4,0,1)))" 225 225 228 0)" \
  "$(vehicle car "35" "0" 150 30 35 0)"

# 4. A green car 14 m ahead in ego's lane brakes at 1.2 s (5 m/s², brake lights red); ego
#    follows at 1.9 s (5.5 m/s²). The gap shrinks to ≈6 m; no one changes lane: no cut-in.
EGO=$(travel 20 5.5 1.9 2.2)
scene lead-brakes "$EGO" "" \
  "$(vehicle car "(14+$(travel 20 5 1.2 2.6)-$EGO)" "0" 40 115 70 "gt(T,1.2)*lt(T,3.8)")"

# 5. A grey truck (2.5 m wide, 3.6 m tall) from the right lane, 13 vs 20 m/s, is fully in
#    ego's lane at 2.8 s, 11 m ahead, closing at 7 m/s (≈2.2 m/s² needed: moderate). Ego
#    brakes a little late (3.1 s, 4.5 m/s²): acceptable; minimum TTC ≈ 1.2 s.
EGO=$(travel 20 4.5 3.1 1.9)
scene cutin-truck-moderate "$EGO" "" \
  "$(vehicle truck "(30.6+13*T-$EGO)" "$(slide $RIGHT 0 1.4 2.8)" 196 198 200 0)"

# 6. A purple car in the left lane, 16 m ahead at about ego's speed, starts drifting right at
#    1.8 s; from 1.0 s a low sun's glare whites out the lane ahead, and the clip ends with
#    the car somewhere on the lane line: whether it cut in cannot be told (unclear).
scene occluded-unclear "$STEADY" "$(ease 1.0 2.2)" \
  "$(vehicle car "(16-0.4*T)" "$(slide $LEFT -1.6 1.8 4.6)" 120 60 145 0)"

du -ch "$out"/*.mp4 | tail -1 | sed 's/^/make-demo-clips: /'
