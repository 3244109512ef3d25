# Shared by scripts/submit-emr and scripts/submit-emr-serverless (sourced, not run): reading
# their common flags, the JSON they build, and running or (--dry-run) printing AWS CLI calls.
# Every refusal is one line naming the flag, and exit 2, before any call is made.

# The main class and the settings every cluster run gets (as emr-steps.json has them).
S3BATCH_CLASS=io.github.s3batchspark.cli.S3Batch
S3BATCH_CONF=(spark.s3batch.inFlight=256)

refuse() {
  echo "$SCRIPT: $*" >&2
  exit 2
}

# needs_value FLAG "$@": the flag's value must follow it.
needs_value() {
  [[ $# -ge 3 && -n "$3" && "$3" != --* ]] || refuse "$2 needs a value (see $SCRIPT --help)"
}

# Reads the flags both scripts take; the script's own flags are handled by its own_flag
# function (it returns 1 for a flag that is not its own). Sets: job, prefix, jar, job_store,
# confs, run_flags, dry_run.
read_common_flags() {
  job="" prefix="" jar="$HERE/target/s3-batch-spark.jar" job_store="" dry_run=false
  confs=() run_flags=()
  while (($#)); do
    case "$1" in
      --job) needs_value x "$@"; job=$2; shift 2 ;;
      --s3-prefix) needs_value x "$@"; prefix=${2%/}; shift 2 ;;
      --jar) needs_value x "$@"; jar=$2; shift 2 ;;
      --job-store) needs_value x "$@"; job_store=$2; shift 2 ;;
      --conf) needs_value x "$@"; [[ "$2" == *=* ]] \
          || refuse "--conf needs KEY=VALUE, got '$2'"; confs+=("$2"); shift 2 ;;
      --dry-run) dry_run=true; shift ;;
      -h|--help) usage; exit 0 ;;
      --) shift; run_flags=("$@"); break ;;
      *) if own_flag "$@"; then shift "$OWN_SHIFT"; else
           refuse "unknown flag '$1' (see $SCRIPT --help)"; fi ;;
    esac
  done
  [[ -n "$job" ]] || refuse "--job is required: the job's CreateJob JSON file"
  [[ -f "$job" && -r "$job" ]] || refuse "--job $job: no such readable file"
  [[ -n "$prefix" ]] || refuse "--s3-prefix is required: where the jar and the job go, s3://bucket/prefix"
  [[ "$prefix" =~ ^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\"\\[:space:]]*)?$ ]] \
    || refuse "--s3-prefix $prefix: expected s3://bucket/prefix (no spaces, quotes or backslashes)"
  [[ -f "$jar" ]] || refuse "--jar $jar: no such file (build it with: mvn -B package -DskipTests)"
  [[ "$(basename "$job")" =~ ^[A-Za-z0-9._-]+$ ]] \
    || refuse "--job $job: name the file with letters, digits, '.', '_' or '-' only (it becomes an S3 key)"
  job_store=${job_store:-s3a://${prefix#s3://}/job-store}
  jar_s3="$prefix/s3-batch-spark.jar"
  job_s3="$prefix/jobs/$(basename "$job")"
}

# The run verb and its flags, as the jar's main class takes them after the jar.
run_arguments() {
  RUN_ARGS=(run --cli-input-json "$job_s3" --job-store "$job_store" ${run_flags[@]+"${run_flags[@]}"})
}

json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$s"
}

json_list() {
  local first=1 a
  printf '['
  for a in "$@"; do
    ((first)) || printf ', '
    first=0
    json_string "$a"
  done
  printf ']'
}

# A word as a shell reads it back: bare when it is plain, else in single quotes.
shell_word() {
  if [[ "$1" =~ ^[A-Za-z0-9_./:=@,+%-]+$ ]]; then
    printf '%s' "$1"
  else
    printf "'%s'" "${1//\'/\'\\\'\'}"
  fi
}

# Runs an AWS CLI call, or with --dry-run prints it on one line, ready to paste.
call() {
  if $dry_run; then
    local words=() w
    for w in "$@"; do words+=("$(shell_word "$w")"); done
    echo "${words[*]}"
  else
    "$@"
  fi
}

upload_jar_and_job() {
  call aws s3 cp --only-show-errors "$jar" "$jar_s3"
  call aws s3 cp --only-show-errors "$job" "$job_s3"
}
