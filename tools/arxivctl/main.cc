// arxivctl: command-line client of the api service. Wiring only.
#include <iostream>

#include "tools/arxivctl/cli.h"

int main(int argc, char** argv) {
  return arxiv_digest::arxivctl::RunCli(argc, argv, std::cout, std::cerr);
}
