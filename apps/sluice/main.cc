// The sluice executable: parses the command line and runs one subcommand (src/cli/).
#include <csignal>
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  // A client that hangs up must not kill the process through a write to a closed pipe or socket.
  std::signal(SIGPIPE, SIG_IGN);
  return sluice::cli::RunCli(argc, argv, std::cout, std::cerr);
}
