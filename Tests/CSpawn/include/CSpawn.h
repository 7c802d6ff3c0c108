// The GNU extension that tests' `ChildProcess` needs and Swift's Glibc module does not import (declared only
// under _GNU_SOURCE).
#ifndef CSPAWN_H
#define CSPAWN_H

/// `pipe2(fds, O_CLOEXEC)`: a pipe whose ends no child inherits.
int cspawn_pipe_cloexec(int fds[2]);

#endif
