# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_wasi_externals_global_optspecs
    string join \n config= cache-dir= recipes= patches= python= source= offline remote-cache= remote-cache-mode= remote-cache-required json v/verbose q/quiet h/help V/version
end

function __fish_wasi_externals_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_wasi_externals_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_wasi_externals_using_subcommand
    set -l cmd (__fish_wasi_externals_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -s V -l version -d 'Print version'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "init" -d 'Write a starter deps.toml with the shipped pins into the current folder'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "lock" -d 'Resolve each tag on the source and pin its commit and tree in deps.toml'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "outdated" -d 'List, for each pinned dep, the newer tags the source has for the same name'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "fetch" -d 'Fetch the pinned sources into the cache and prove they are what deps.toml pins'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "status" -d 'Show each dependency\'s tag, pinned commit and whether its source is cached'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "build" -d 'Cross-compile the dependencies for WASI into one prefix'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "env" -d 'Print what CPython\'s configure needs to use a prefix'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "doctor" -d 'Check the whole setup and say how to fix each problem'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "verify" -d 'Re-hash every file of a prefix against its manifest'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "package" -d 'Write a reproducible .tar.gz of a prefix and FILE.sha256 beside it'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "sbom" -d 'Write an SPDX 2.3 JSON SBOM of the pinned dependencies'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "recipes" -d 'List the effective recipe of each dep: built in, or from an overlay folder'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "bundle" -d 'Move sources (and builds) to a machine without network'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "cache" -d 'Inspect and trim the cache of sources and builds'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "completions" -d 'Print a completion script for a shell'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "man" -d 'Print a man page (roff) for the program or one of its commands'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "sdk" -d 'The WASI SDKs on this machine, which one a build would use, and installing one'
complete -c wasi-externals -n "__fish_wasi_externals_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l force -d 'Replace an existing file'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l check -d 'Change nothing; fail if any pin differs from what the source has now'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand lock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand outdated" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l into -d 'Also check each dependency\'s source out into DIR/<dep>' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand fetch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l prefix -d 'Install into this folder; with several --python, the folder holding one python-<X> prefix each [default: ./cross-build/wasi-externals/python-<X>-<target> or sdk-<N>-<target>]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l wasi-sdk -d 'The WASI SDK to build with: DIR, or N=DIR for the profiles that want SDK N (repeatable)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -s j -l jobs -d 'Jobs in total, shared by all builds and their `make -j` [default: number of cores]' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l allow-sdk-mismatch -d 'Build with an SDK whose major version differs from deps.toml\'s (loudly)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l dry-run -d 'Only print what would be fetched, built or taken from the cache, and why'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l force -d 'If the prefix was built with another WASI SDK (version or clang) or target, remove what wasi-externals installed there (the files its manifest lists, config.site and the manifest; nothing else) and rebuild'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand build" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l prefix -d 'The prefix `wasi-externals build` installed into' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l wasi-sdk -d 'Check that the prefix was built with this WASI SDK (VERSION and clang) and refuse otherwise: DIR, or N=DIR (repeatable) [default: no check]' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l format -d '`sh`: export lines; `args`: one line of quoted configure arguments; `json`: a map' -r -f -a "sh\t''
args\t''
json\t''"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand env" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l wasi-sdk -d 'The WASI SDK to check: DIR, or N=DIR (repeatable), as `build` takes it' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l prefix -d 'The prefix to check [default: the default prefix of `build`, if it exists]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l prefix -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l prefix -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -s o -l output -d 'The archive to write' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand package" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l prefix -d 'Also describe the files built into this prefix' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -s o -l output -d 'Write to FILE instead of stdout' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l licenses -d 'Also write each dependency\'s license texts into DIR/<dep>/' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sbom" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -f -a "show" -d 'Print the effective recipe of DEP (its origin goes to stderr)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and not __fish_seen_subcommand_from show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print the effective recipe of DEP (its origin goes to stderr)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand recipes; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -f -a "export" -d 'Write one file with the config, the pinned sources and optionally the built outputs'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -f -a "import" -d 'Check every hash in a bundle, then add it to the cache (then `build --offline` works)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and not __fish_seen_subcommand_from export import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l with-builds -d 'Also include the cached builds made with the SDK in DIR' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write one file with the config, the pinned sources and optionally the built outputs'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "import" -d 'Check every hash in a bundle, then add it to the cache (then `build --offline` works)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand bundle; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -f -a "list" -d 'Show the cache\'s size and every cached build'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -f -a "gc" -d 'Drop unused builds, broken outputs and leftover folders'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -f -a "clean" -d 'Remove every build (and with --sources the fetched sources too)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -f -a "push" -d 'Upload every local build and the pinned sources to the remote cache'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -f -a "stats" -d 'What the remote cache did in the last build: hits, misses, bytes'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and not __fish_seen_subcommand_from list gc clean push stats help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l max-age-days -d 'Keep builds used within this many days' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from gc" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l sources -d 'Also remove the fetched sources'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from clean" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "list" -d 'Show the cache\'s size and every cached build'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "gc" -d 'Drop unused builds, broken outputs and leftover folders'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clean" -d 'Remove every build (and with --sources the fetched sources too)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "push" -d 'Upload every local build and the pinned sources to the remote cache'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "stats" -d 'What the remote cache did in the last build: hits, misses, bytes'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l dir -d 'Write every page (the program\'s and each command\'s) into DIR instead' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -f -a "list" -d 'List every WASI SDK found, and which profiles want it'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -f -a "path" -d 'Print the folder of the SDK `build` would use'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -f -a "install" -d 'Download an official WASI SDK release into the SDK store'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and not __fish_seen_subcommand_from list path install help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l wasi-sdk -d 'More folders to look at: DIR or N=DIR (repeatable)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l wasi-sdk -d 'The SDK to use: DIR, or N=DIR for SDK N (repeatable), as `build` takes it' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l sdk-url -d 'Download from this URL instead (a mirror, or a build of one\'s own)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l sha256 -d 'The sha256 the download must have (64 hex digits); needed where none is known' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l config -d 'The pins file' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l cache-dir -d 'Where fetched sources and built outputs are cached [default: the user\'s cache folder]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l recipes -d 'Recipe overlay: DIR/<dep>.toml replaces the built-in recipe [default: `recipes` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l patches -d 'Patch overlay: DIR/<dep>/<name>.patch replaces or adds a patch [default: `patches` in deps.toml]' -r -F
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l python -d 'Use the profile of this Python version ([python."X"] in deps.toml): its SDK, target and pins [default: the top-level tables]. `build` takes several (each into its own prefix)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l source -d 'Fetch from this URL instead of `[source] url` (mirrors are still tried after it)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l remote-cache -d 'A remote cache shared by a fleet: s3://BUCKET/PREFIX, http(s)://HOST/PATH or file:///PATH [default: `[cache] remote` in deps.toml]. Credentials come only from the backend\'s environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL, AWS_REGION)' -r
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l remote-cache-mode -d 'Download only (`read`), or also upload what this machine builds' -r -f -a "read\t'Download only'
read-write\t'Download, and upload what this machine builds'"
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l offline -d 'Never use the network; work from the cache alone'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l remote-cache-required -d 'Fail when the remote cache cannot be reached, instead of working locally'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -l json -d 'Print results (and errors) as JSON on stdout'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -s v -l verbose -d 'Say more (repeatable)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Say nothing but errors'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every WASI SDK found, and which profiles want it'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the folder of the SDK `build` would use'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from help" -f -a "install" -d 'Download an official WASI SDK release into the SDK store'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand sdk; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "init" -d 'Write a starter deps.toml with the shipped pins into the current folder'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "lock" -d 'Resolve each tag on the source and pin its commit and tree in deps.toml'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "outdated" -d 'List, for each pinned dep, the newer tags the source has for the same name'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "fetch" -d 'Fetch the pinned sources into the cache and prove they are what deps.toml pins'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "status" -d 'Show each dependency\'s tag, pinned commit and whether its source is cached'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "build" -d 'Cross-compile the dependencies for WASI into one prefix'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "env" -d 'Print what CPython\'s configure needs to use a prefix'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "doctor" -d 'Check the whole setup and say how to fix each problem'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "verify" -d 'Re-hash every file of a prefix against its manifest'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "package" -d 'Write a reproducible .tar.gz of a prefix and FILE.sha256 beside it'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "sbom" -d 'Write an SPDX 2.3 JSON SBOM of the pinned dependencies'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "recipes" -d 'List the effective recipe of each dep: built in, or from an overlay folder'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "bundle" -d 'Move sources (and builds) to a machine without network'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "cache" -d 'Inspect and trim the cache of sources and builds'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "completions" -d 'Print a completion script for a shell'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "man" -d 'Print a man page (roff) for the program or one of its commands'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "sdk" -d 'The WASI SDKs on this machine, which one a build would use, and installing one'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and not __fish_seen_subcommand_from init lock outdated fetch status build env doctor verify package sbom recipes bundle cache completions man sdk help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and __fish_seen_subcommand_from recipes" -f -a "show" -d 'Print the effective recipe of DEP (its origin goes to stderr)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and __fish_seen_subcommand_from bundle" -f -a "export" -d 'Write one file with the config, the pinned sources and optionally the built outputs'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and __fish_seen_subcommand_from bundle" -f -a "import" -d 'Check every hash in a bundle, then add it to the cache (then `build --offline` works)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "list" -d 'Show the cache\'s size and every cached build'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "gc" -d 'Drop unused builds, broken outputs and leftover folders'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clean" -d 'Remove every build (and with --sources the fetched sources too)'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "push" -d 'Upload every local build and the pinned sources to the remote cache'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "stats" -d 'What the remote cache did in the last build: hits, misses, bytes'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and __fish_seen_subcommand_from sdk" -f -a "list" -d 'List every WASI SDK found, and which profiles want it'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and __fish_seen_subcommand_from sdk" -f -a "path" -d 'Print the folder of the SDK `build` would use'
complete -c wasi-externals -n "__fish_wasi_externals_using_subcommand help; and __fish_seen_subcommand_from sdk" -f -a "install" -d 'Download an official WASI SDK release into the SDK store'
