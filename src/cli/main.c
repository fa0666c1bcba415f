/* moongate command-line entry point (placeholder until the subcommands land). */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("moongate %s\n", MOONGATE_VERSION);
		return 0;
	}
	fprintf(stderr, "usage: moongate <command> [options] [PATH...]\n");
	return 2;
}
