#!/usr/bin/env node
require('../assets/lambda/cli/main/index.js');
