#!/bin/sh
wc -l < {inputs.data} > {outputs.count}
