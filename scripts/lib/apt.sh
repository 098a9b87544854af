# apt_install <command> <package>: installs <package> through apt when <command> is missing and we
# are root; otherwise prints the command to run and exits 1. Sourced by test.sh and demo.sh.
apt_install() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing '$1': run 'sudo apt-get update && sudo apt-get install -y $2', then try again" >&2
    exit 1
  fi
  echo "installing $2 (apt-get)"
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
