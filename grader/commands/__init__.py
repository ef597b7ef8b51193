"""One module per CLI command: ``register(subparsers)`` declares it, ``run(args)`` calls the work.

The work itself lives in plain functions with keyword-only arguments elsewhere in the
package; these modules only translate options and exit codes.
"""
