/* How many processors this process may run on. */
#ifndef MG_UTIL_CPUS_H
#define MG_UTIL_CPUS_H

/* The processors of the process's CPU affinity mask (taskset, cgroup cpusets), else the
 * online processors; at least 1. */
unsigned cpus_usable(void);

#endif
