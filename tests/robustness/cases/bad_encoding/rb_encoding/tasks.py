from compiler import task

NAME = 'ÿþ café'
