"""The one compiled module (the CRF's inner loop, corpus_tools.crf_kernel). It is optional:
without a C compiler the install still succeeds and segmentation uses the numpy path,
which gives the same words more slowly (corpus_tools._crf says so in a warning)."""
from Cython.Build import cythonize
from setuptools import Extension, setup

setup(ext_modules=cythonize(
    [Extension("corpus_tools.crf_kernel", ["src/corpus_tools/crf_kernel.pyx"], optional=True)],
    compiler_directives={"language_level": 3}))
