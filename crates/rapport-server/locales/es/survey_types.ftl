# Survey question types: the public page, answers shown in the inbox and timeline.
