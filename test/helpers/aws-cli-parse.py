"""Runs the AWS CLI (awscli 1.x) on each argument list read from stdin as JSON, stopping each
one just before the request: prints a JSON list of {code, params, stdout, stderr}, where params
are the call parameters the AWS CLI built (after --cli-input-json), or None when it stopped
earlier (an error, or --generate-cli-skeleton, whose text is in stdout)."""
import contextlib
import io
import json
import sys

from awscli.clidriver import create_clidriver

results = []
for args in json.load(sys.stdin):
    captured = {}

    def stop_before_request(call_parameters, **kwargs):
        captured['params'] = call_parameters
        return 0

    driver = create_clidriver()
    driver.session.get_component('event_emitter').register_last('calling-command.*', stop_before_request)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = driver.main(args)
        except SystemExit as exit:
            code = exit.code
    results.append({'code': code, 'params': captured.get('params'), 'stdout': out.getvalue(), 'stderr': err.getvalue()})
json.dump(results, sys.stdout, default=str)
