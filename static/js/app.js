// Starts the NHS.UK frontend components (error summary focus, header menu, character counts).
import { initAll } from '/assets/nhsuk-frontend.min.js'

initAll()
